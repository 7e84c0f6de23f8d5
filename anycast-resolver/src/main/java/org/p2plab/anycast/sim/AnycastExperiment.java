package org.p2plab.anycast.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.AnycastGroup;
import org.p2plab.anycast.protocol.Filter;
import org.p2plab.anycast.protocol.TufrSmoother;
import org.p2plab.overlay.sim.Simulator;

/**
 * The paper's comparison in the deterministic simulator (Fei, Bhattacharjee, Zegura and Ammar,
 * INFOCOM 1998; Zegura et al., ToN 2000, section VI): clients at several sites fetch a document
 * again and again from a group of replicated web servers whose load changes over time, choosing
 * the server by
 * <ul>
 *   <li><b>Random</b>: any member, uniformly;</li>
 *   <li><b>Nearest</b>: the member with the shortest path from the client's site, fixed;</li>
 *   <li><b>Anycast</b>: the site's resolver's answer: estimates from probes (every
 *       {@code probeInterval}) and pushes (each server smooths its TUFR and pushes it to every
 *       resolver on a 20% change), the response-time filter, and a random draw from the
 *       Equivalent Server set.</li>
 * </ul>
 * The model: each server is one FCFS queue with exponential service times. Its load generator
 * sends it Poisson requests at the rate that keeps it busy a fraction {@code loadLevels[i]} of
 * the time, the level jumping to a random one every {@code loadPeriod} on average, as the
 * paper's load generators varied the servers' load. A response time is the client's network time
 * (request: one RTT; response: half an RTT plus the document over the path's bandwidth) plus
 * the server's time (wait and service). A request's TUFR (time until the server process first
 * reads it: its wait, then the first fifth of its processing) is measured for every request,
 * the load generator's included, and the push daemon smooths and pushes it. Anycast clients
 * also ask their site's resolver first (a local round trip). The load history comes from its own
 * random stream, so every policy meets the same one. {@link Policy#ORACLE}, which knows every
 * queue, is the bound no selection can beat.
 */
public final class AnycastExperiment {

    /** How a client picks a server. */
    public enum Policy {
        RANDOM, NEAREST, ANYCAST,
        /** A reference, not a policy anyone could run: knows every server's queue and load right now. */
        ORACLE
    }

    /**
     * The setting.
     *
     * @param sites           client sites, each with its own resolver
     * @param clientsPerSite  clients at each site, each a closed loop: request, response, think
     * @param rttMillis       round-trip time from each site to each server
     * @param bandwidthKBps   path bandwidth from each server to each site
     * @param documentKB      the document fetched
     * @param probeKB         the probe file
     * @param serviceMillis   mean service time of an unloaded server
     * @param loadLevels      utilisations the load generator keeps a server at (0..1), which it moves between
     * @param loadPeriod      mean time between a server's load changes
     * @param thinkTime       mean pause between a client's requests
     * @param probeInterval   how often each resolver probes each server
     * @param threshold       the Equivalent Server set's threshold
     * @param localMillis     a query to the site's resolver
     * @param warmUp          requests before this are not counted
     * @param duration        simulated time
     */
    public record Params(int sites, int clientsPerSite, double[][] rttMillis, double[][] bandwidthKBps, double documentKB,
                         double probeKB, double serviceMillis, double[] loadLevels, Duration loadPeriod, Duration thinkTime,
                         Duration probeInterval, double threshold, double localMillis, Duration warmUp, Duration duration) {

        public int servers() {
            return rttMillis[0].length;
        }

        /**
         * Four servers, four client sites of two clients each (a request, then 2 s of thought).
         * Each site has one near server (20-30 ms RTT) and three far ones (70-160 ms); two sites
         * share their nearest server, as sites do on a real map. Bandwidth 100-500 KB/s, a 20 KB
         * document, 100 ms of service per request. Each server's load generator keeps it busy
         * 10%, 50%, 96% or 99% of the time, the level changing every 60 s on average. Probes
         * every 20 s, an Equivalent Server set within 30%; 60 minutes, the first 2 not counted.
         */
        public static Params paperLike() {
            double[][] rtt = {
                    {20, 90, 140, 120},
                    {100, 25, 130, 160},
                    {30, 110, 70, 150},
                    {150, 120, 90, 25}};
            double[][] bw = {
                    {500, 200, 120, 150},
                    {180, 450, 130, 100},
                    {400, 160, 250, 110},
                    {100, 150, 200, 480}};
            return new Params(4, 2, rtt, bw, 20, 1, 100, new double[] {0.1, 0.5, 0.96, 0.99}, Duration.ofSeconds(60),
                    Duration.ofSeconds(2), Duration.ofSeconds(20), 0.3, 5, Duration.ofMinutes(2), Duration.ofMinutes(60));
        }
    }

    /** Response times over every counted request, in seconds. */
    public record Result(Policy policy, long requests, double meanSeconds, double sdSeconds, double p95Seconds) {
    }

    /** Where in its processing a request is first read. */
    static final double FIRST_READ = 0.2;

    private final Params p;
    private final Policy policy;
    private final Simulator sim;
    private final RandomGenerator clientRandom;
    private final Server[] servers;
    private final AnycastGroup[] resolvers;
    private final List<Double> samples = new ArrayList<>();

    private AnycastExperiment(Params p, Policy policy, long seed) {
        this.p = p;
        this.policy = policy;
        this.sim = new Simulator(seed);
        this.clientRandom = new SplittableRandom(seed * 31 + 7);
        SplittableRandom loadRandom = new SplittableRandom(seed);
        SplittableRandom serviceRandom = new SplittableRandom(seed * 17 + 3);
        this.servers = new Server[p.servers()];
        for (int s = 0; s < servers.length; s++) {
            servers[s] = new Server(s, loadRandom.split(), serviceRandom.split());
        }
        this.resolvers = new AnycastGroup[p.sites()];
        for (int site = 0; site < p.sites(); site++) {
            resolvers[site] = new AnycastGroup(Adn.parse("Daily-News%cc.gatech.edu"));
            for (int s = 0; s < servers.length; s++) {
                resolvers[site].add("server-" + s, 1);
            }
        }
    }

    /** Runs one policy; the same seed gives the same background load under every policy. */
    public static Result run(Policy policy, long seed, Params params) {
        AnycastExperiment e = new AnycastExperiment(params, policy, seed);
        e.start();
        e.sim.runFor(params.duration());
        return e.result();
    }

    private void start() {
        for (Server s : servers) {
            s.scheduleLoadChange();
            s.scheduleBackground();
        }
        for (int site = 0; site < p.sites(); site++) {
            for (int c = 0; c < p.clientsPerSite(); c++) {
                int st = site;
                sim.schedule(Duration.ofMillis(clientRandom.nextInt(1000)), () -> request(st));
            }
            if (policy == Policy.ANYCAST) {
                for (int s = 0; s < servers.length; s++) {
                    int st = site;
                    int sv = s;
                    sim.schedule(Duration.ofMillis(clientRandom.nextInt(1000)), () -> probe(st, sv));
                }
            }
        }
    }

    private double nowMillis() {
        return sim.nowNanos() / 1e6;
    }

    private Instant now() {
        return sim.instantSource().instant();
    }

    private int choose(int site) {
        return switch (policy) {
            case RANDOM -> clientRandom.nextInt(servers.length);
            case NEAREST -> nearest(site);
            case ORACLE -> oracle(site);
            case ANYCAST -> Integer.parseInt(resolvers[site].resolve(List.of(Filter.RESPONSE_TIME), clientRandom, p.threshold())
                    .chosen().url().substring("server-".length()));
        };
    }

    private int oracle(int site) {
        int best = 0;
        double bestTime = Double.MAX_VALUE;
        for (int s = 0; s < servers.length; s++) {
            double rtt = p.rttMillis()[site][s];
            double arrive = nowMillis() + rtt;
            double t = rtt + Math.max(0, servers[s].busyUntil - arrive) + p.serviceMillis()
                    + rtt / 2 + p.documentKB() / p.bandwidthKBps()[site][s] * 1000;
            if (t < bestTime) {
                bestTime = t;
                best = s;
            }
        }
        return best;
    }

    private int nearest(int site) {
        int best = 0;
        for (int s = 1; s < servers.length; s++) {
            if (p.rttMillis()[site][s] < p.rttMillis()[site][best]) {
                best = s;
            }
        }
        return best;
    }

    /** One client request, then the client thinks and asks again. */
    private void request(int site) {
        double start = nowMillis();
        double local = policy == Policy.ANYCAST ? p.localMillis() : 0;
        int s = choose(site);
        double rtt = p.rttMillis()[site][s];
        // the request reaches the server one RTT later (connection set-up and request) and joins its queue
        sim.schedule(millis(local + rtt), () -> {
            double served = servers[s].serve();
            double done = served + rtt / 2 + p.documentKB() / p.bandwidthKBps()[site][s] * 1000;
            sim.schedule(millis(done - nowMillis()), () -> {
                if (start >= p.warmUp().toMillis()) {
                    samples.add((done - start) / 1000);
                }
                sim.schedule(millis(-Math.log(1 - clientRandom.nextDouble()) * p.thinkTime().toMillis()), () -> request(site));
            });
        });
    }

    /** The site's resolver fetches server s's probe file: RT, and the TUFR written in it. */
    private void probe(int site, int s) {
        double start = nowMillis();
        double rtt = p.rttMillis()[site][s];
        sim.schedule(millis(rtt), () -> {
            double tufrInFile = servers[s].smoother.smoothed().orElse(p.serviceMillis());
            double served = servers[s].serve();
            double done = served + rtt / 2 + p.probeKB() / p.bandwidthKBps()[site][s] * 1000;
            sim.schedule(millis(done - nowMillis()), () -> {
                resolvers[site].probe(Integer.toString(s + 1), done - start, tufrInFile, now());
                sim.schedule(p.probeInterval(), () -> probe(site, s));
            });
        });
    }

    private static Duration millis(double ms) {
        return Duration.ofNanos((long) (Math.max(0, ms) * 1e6));
    }

    private Result result() {
        double mean = samples.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double var = samples.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum() / Math.max(1, samples.size() - 1);
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double p95 = sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(0.95 * sorted.length))];
        return new Result(policy, samples.size(), mean, Math.sqrt(var), p95);
    }

    /** One replicated web server: an FCFS queue, its background load, its push daemon. */
    private final class Server {
        final int index;
        /** the load generator's own stream: the same load history under every policy */
        final RandomGenerator load;
        final RandomGenerator service;
        final TufrSmoother smoother = new TufrSmoother(0.3, 0.2);
        int level;
        double busyUntil;

        Server(int index, RandomGenerator load, RandomGenerator service) {
            this.index = index;
            this.load = load;
            this.service = service;
            this.level = load.nextInt(p.loadLevels().length);
        }

        /** The load generator's requests: Poisson, at the rate that keeps the server busy a fraction {@code level} of the time. */
        void scheduleBackground() {
            double rate = p.loadLevels()[level] / p.serviceMillis();   // requests per ms
            double gap = -Math.log(1 - load.nextDouble()) / rate;
            sim.schedule(millis(gap), () -> {
                serve();
                scheduleBackground();
            });
        }

        void scheduleLoadChange() {
            double wait = -Math.log(1 - load.nextDouble()) * p.loadPeriod().toMillis();
            sim.schedule(millis(wait), () -> {
                level = load.nextInt(p.loadLevels().length);
                scheduleLoadChange();
            });
        }

        /**
         * A request arriving now: when its response leaves. Its TUFR, the time until the server
         * process first reads it (its wait in the queue, then the first fifth of its processing),
         * is measured at that moment and pushed if it changed the smoothed value enough.
         */
        double serve() {
            double arrive = nowMillis();
            double time = -Math.log(1 - service.nextDouble()) * p.serviceMillis();
            double begin = Math.max(arrive, busyUntil);
            busyUntil = begin + time;
            double firstRead = begin + FIRST_READ * time;
            double tufr = firstRead - arrive;
            sim.schedule(millis(firstRead - arrive), () -> {
                smoother.observe(tufr);
                smoother.pushIfSignificant().ifPresent(v -> {
                    for (int site = 0; site < p.sites(); site++) {
                        int st = site;
                        sim.schedule(millis(p.rttMillis()[site][index] / 2),
                                () -> resolvers[st].push(Integer.toString(index + 1), v, now()));
                    }
                });
            });
            return busyUntil;
        }
    }
}
