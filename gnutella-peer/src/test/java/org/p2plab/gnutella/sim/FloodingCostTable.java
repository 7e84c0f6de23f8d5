package org.p2plab.gnutella.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The flooding cost table (a plain main for scripts/bench-gnutella-sim.sh, and what
 * {@link FloodingCostTest} checks at a smaller size): on random graphs of {@code n} peers, one
 * query at a time, for TTL 1..7, the messages it costs, the peers it reaches, the share of the
 * copies that arrived that were duplicates, and the results that came back. Flat networks of mean
 * degree 4 and 8 (every peer routes, as in Gnutella 0.4); and two-level ones (a tenth of the
 * peers ultrapeers, mean degree 8 among them, each leaf on 3 ultrapeers), without and with
 * QRP-style filtering of the leaves. A rare file is on 20 random peers (leaves).
 * <p>
 * System properties {@code n} (10000), {@code queries} (10), {@code seed} (42).
 */
public final class FloodingCostTable {

    /** One row: means over the queries. */
    public record Row(String network, int ttl, double messages, double reached, double duplicates, double hits, int n) {
        @Override
        public String toString() {
            return String.format("| %s | %d | %,.0f | %,.0f (%.1f%%) | %.1f%% | %.1f | %.2f |", network, ttl, messages, reached,
                    100 * reached / n, 100 * duplicates, hits, messages / n);
        }
    }

    public static final String HEADER = "| network | TTL | query messages | peers reached | duplicates | results | messages per peer |\n"
            + "|---|---|---|---|---|---|---|";

    private FloodingCostTable() {
    }

    public static void main(String[] args) {
        int n = Integer.getInteger("n", 10_000);
        int queries = Integer.getInteger("queries", 10);
        long seed = Long.getLong("seed", 42L);
        System.out.println(HEADER);
        for (Row r : table(n, queries, seed)) {
            System.out.println(r);
        }
    }

    /** Rows in order: flat degree 4 (TTL 1..7), flat degree 8, ultrapeers, ultrapeers + QRP. */
    public static List<Row> table(int n, int queries, long seed) {
        List<Row> rows = new ArrayList<>();
        for (int degree : new int[] {4, 8}) {
            for (int ttl = 1; ttl <= 7; ttl++) {
                GnutellaSimulation flat = GnutellaSimulation.flat(seed, n, degree, 7, 0);
                flat.share("rare song.mp3", 20);
                rows.add(measure("flat, degree " + degree, flat, ttl, queries, n));
            }
        }
        for (boolean qrp : new boolean[] {false, true}) {
            for (int ttl = 1; ttl <= 7; ttl++) {
                GnutellaSimulation two = GnutellaSimulation.twoLevel(seed, n, n / 10, 8, 3, 7, qrp);
                two.share("rare song.mp3", 20);
                rows.add(measure(qrp ? "ultrapeers + QRP" : "ultrapeers", two, ttl, queries, n));
            }
        }
        return rows;
    }

    static Row measure(String name, GnutellaSimulation sim, int ttl, int queries, int n) {
        double messages = 0;
        double reached = 0;
        double dup = 0;
        double hits = 0;
        for (int q = 0; q < queries; q++) {
            GnutellaSimulation.QueryCost c = sim.query("rare song", ttl);
            messages += c.queryMessages();
            reached += c.reached();
            dup += c.duplicateFraction();
            hits += c.hits();
        }
        return new Row(name, ttl, messages / queries, reached / queries, dup / queries, hits / queries, n);
    }
}
