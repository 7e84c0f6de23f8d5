package org.p2plab.can.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;
import org.p2plab.overlay.kv.DhtEntry;

/**
 * The hash table on top of the space: a key is stored by the owner of its point and copied to
 * the owner's neighbours, so that the neighbour which takes a dead zone over already holds its
 * keys. Keys move with joins, survive crashes of 20% of the nodes, and deletes stay deleted.
 */
class CanStoreSimulationTest {

    @Test
    void keysFollowJoinsAndSurviveTwentyPercentCrashing() {
        CanSimulation sim = CanSimulation.wideArea(21, CanParams.defaults());
        sim.grow(64);
        sim.startMaintenance();
        sim.simulator().runFor(Duration.ofSeconds(3));
        for (int i = 0; i < 1000; i++) {
            CanNode.PutResult put = sim.randomLive().put("key-" + i, ("value-" + i).getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(put.created()).isTrue();
            assertThat(put.route().owner()).isEqualTo(sim.trueOwner(sim.randomLive().pointOf("key-" + i)).self());
        }
        // keys move with joins: 64 more nodes split zones that hold keys
        for (int i = 0; i < 64; i++) {
            CanNode joined = sim.join();
            joined.start();
        }
        sim.simulator().runFor(Duration.ofSeconds(5));
        assertAllReadable(sim, 1000);
        assertThat(sim.liveNodes().stream().mapToInt(CanNode::ownedKeys).sum()).as("each key owned once").isEqualTo(1000);

        List<CanNode> all = new ArrayList<>(sim.liveNodes());
        for (int i = 0; i < all.size() / 5; i++) {
            sim.crash(all.remove(sim.simulator().random().nextInt(all.size())));
        }
        boolean recovered = sim.simulator().runUntil(
                () -> sim.isPartition() && sim.liveNodes().stream().allMatch(x -> x.pendingTakeovers().isEmpty()),
                Duration.ofMinutes(2), Duration.ofSeconds(1));
        assertThat(recovered).isTrue();
        assertAllReadable(sim, 1000);
        assertThat(sim.liveNodes().stream().mapToInt(CanNode::ownedKeys).sum()).as("no key lost, none doubled").isEqualTo(1000);
        // and the copies are back on the new owners' neighbours
        sim.simulator().runFor(Duration.ofSeconds(5));
        double copies = sim.liveNodes().stream().mapToInt(CanNode::storedKeys).sum() / 1000.0;
        assertThat(copies).as("owner + neighbours per key").isGreaterThan(4);
    }

    @Test
    void deletesStayDeletedAndPutsReplaceWithHigherVersions() {
        CanSimulation sim = CanSimulation.wideArea(22, CanParams.defaults());
        sim.grow(32);
        sim.startMaintenance();
        sim.simulator().runFor(Duration.ofSeconds(3));
        CanNode.PutResult first = sim.randomLive().put("k", bytes("one"), "text/plain");
        CanNode.PutResult second = sim.randomLive().put("k", bytes("two"), "text/plain");
        assertThat(second.created()).isFalse();
        assertThat(second.version()).isGreaterThan(first.version());
        assertThat(sim.randomLive().get("k").entry()).map(DhtEntry::value).contains(bytes("two"));

        CanNode.DeleteResult deleted = sim.randomLive().delete("k");
        assertThat(deleted.existed()).isTrue();
        assertThat(sim.randomLive().delete("k").existed()).isFalse();
        assertThat(sim.randomLive().get("k").entry()).isEmpty();
        // the owner dies: the neighbour that takes over holds the tombstone, not the old value
        CanNode owner = sim.trueOwner(sim.randomLive().pointOf("k"));
        sim.crash(owner);
        sim.simulator().runUntil(() -> sim.isPartition(), Duration.ofMinutes(1), Duration.ofSeconds(1));
        assertThat(sim.randomLive().get("k").entry()).isEmpty();
        assertThat(sim.randomLive().put("k", bytes("three"), "text/plain").created()).isTrue();
    }

    private static void assertAllReadable(CanSimulation sim, int keys) {
        for (int i = 0; i < keys; i++) {
            CanNode.GetResult got = sim.randomLive().get("key-" + i);
            assertThat(got.entry()).as("key-%d", i).map(e -> new String(e.value(), StandardCharsets.UTF_8)).contains("value-" + i);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
