package org.p2plab.anycast.sim;

/** Prints the comparison table for a few seeds (a plain main, for tuning and BENCHMARKS). */
public final class AnycastExperimentMain {

    private AnycastExperimentMain() {
    }

    public static void main(String[] args) {
        System.out.println("| seed | policy | requests | mean (s) | sd (s) | p95 (s) |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        for (long seed = 1; seed <= (args.length > 0 ? Long.parseLong(args[0]) : 3); seed++) {
            for (AnycastExperiment.Policy policy : AnycastExperiment.Policy.values()) {
                AnycastExperiment.Result r = AnycastExperiment.run(policy, seed, AnycastExperiment.Params.paperLike());
                System.out.printf("| %d | %s | %d | %.2f | %.2f | %.2f |%n", seed, policy, r.requests(), r.meanSeconds(),
                        r.sdSeconds(), r.p95Seconds());
            }
        }
    }
}
