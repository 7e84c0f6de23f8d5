package org.p2plab.gnutella.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The seed's point about Gnutella, checked on 2,000 peers (the 10,000-peer table is
 * scripts/bench-gnutella-sim.sh's): a flood's reach and its duplicates grow with the TTL; once it
 * reaches everyone, it costs about (degree - 1) messages per peer, O(N); ultrapeers reach as many
 * peers with fewer messages, and QRP keeps queries off the leaves that cannot answer without
 * losing a result.
 */
class FloodingCostTest {

    static final int N = 2_000;

    @Test
    void floodingCostsMessagesInProportionToThePeersReached() {
        List<FloodingCostTable.Row> rows = FloodingCostTable.table(N, 5, 42);
        System.out.println(FloodingCostTable.HEADER);
        rows.forEach(System.out::println);

        FloodingCostTable.Row flat4ttl1 = rows.get(0);
        FloodingCostTable.Row flat4ttl7 = rows.get(6);
        FloodingCostTable.Row flat8ttl7 = rows.get(13);
        assertThat(flat4ttl1.reached()).as("TTL 1: the source and its neighbours").isBetween(3.0, 8.0);
        for (int i = 1; i < 7; i++) {
            assertThat(rows.get(i).reached()).as("reach grows with the TTL").isGreaterThanOrEqualTo(rows.get(i - 1).reached());
            assertThat(rows.get(i).duplicates()).as("and so do the duplicates").isGreaterThanOrEqualTo(rows.get(i - 1).duplicates() - 0.02);
        }
        // at saturation every reached peer sends the query to each of its other neighbours: O(N·degree) messages
        assertThat(flat8ttl7.reached()).as("degree 8, TTL 7 reaches nearly everyone").isGreaterThan(0.95 * N);
        assertThat(flat8ttl7.messages() / flat8ttl7.reached()).as("messages per peer reached ≈ degree - 1").isBetween(5.0, 8.5);
        assertThat(flat8ttl7.duplicates()).as("most copies are duplicates once the flood saturates").isGreaterThan(0.7);
        assertThat(flat4ttl7.messages()).isGreaterThan(flat4ttl7.reached());
        FloodingCostTable.Row up7 = rows.get(20);
        FloodingCostTable.Row qrp7 = rows.get(27);
        assertThat(up7.reached()).as("ultrapeers carry a query to most of the network").isGreaterThan(0.9 * N);
        assertThat(up7.messages()).as("with fewer messages than a flat flood of the same reach").isLessThan(flat8ttl7.messages());
        assertThat(qrp7.messages()).as("QRP keeps queries off the leaves that cannot answer").isLessThan(up7.messages() / 2);
        assertThat(qrp7.hits()).as("and loses no results").isEqualTo(up7.hits());
        assertThat(up7.hits()).as("the rare file is found").isPositive();
        for (int i = 15; i < 21; i++) {
            assertThat(rows.get(i).hits()).as("a longer TTL never loses a result: replies retrace the path whatever its length")
                    .isGreaterThanOrEqualTo(rows.get(i - 1).hits());
        }
    }
}
