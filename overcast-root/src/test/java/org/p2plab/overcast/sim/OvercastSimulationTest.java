package org.p2plab.overcast.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.p2plab.overcast.protocol.DescendantTable;
import org.p2plab.overcast.protocol.OvercastNode;
import org.p2plab.overcast.protocol.UpDown;

/**
 * The up/down protocol and tree building running together in time, in the simulator: the root's
 * table converges to the live tree; when an interior node crashes, its children rejoin through
 * their ancestors within two lease periods, and by then the root's table shows the death
 * certificate and the new parents.
 */
class OvercastSimulationTest {

    private static final Duration LEASE = Duration.ofSeconds(10);

    private static OvercastSimulation thirtyNodes() {
        TransitStubTopology topology = new TransitStubTopology(TransitStubTopology.Params.paperLike(), new SplittableRandom(5));
        OvercastSimulation sim = new OvercastSimulation(5, topology,
                new OvercastNode.Params(LEASE, Duration.ofSeconds(2), Duration.ofSeconds(60), 0.1));
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 30; i++) {
            sim.join("n" + i, random.nextInt(topology.routers()));
            sim.simulator().runFor(Duration.ofSeconds(3));
        }
        sim.simulator().runFor(Duration.ofMinutes(3));
        return sim;
    }

    /** Each live node's parent, as the nodes themselves say. */
    private static Map<String, String> actualParents(OvercastSimulation sim) {
        return sim.nodes().entrySet().stream()
                .filter(e -> !e.getKey().equals(OvercastSimulation.ROOT) && sim.isUp(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().updown().parent()));
    }

    /** Each node the root holds alive, with its parent there. */
    private static Map<String, String> rootView(OvercastSimulation sim) {
        UpDown root = sim.root().updown();
        return root.table().stream().filter(e -> root.alive(e.node()))
                .collect(Collectors.toMap(DescendantTable.Entry::node, DescendantTable.Entry::parent));
    }

    @Test
    void theRootsTableConvergesToTheLiveTree() {
        OvercastSimulation sim = thirtyNodes();
        assertThat(rootView(sim)).isEqualTo(actualParents(sim));
        assertThat(sim.root().updown().children()).isNotEmpty();
        int depth = 0;
        for (String n : actualParents(sim).keySet()) {
            int d = sim.nodes().get(n).updown().ancestors().size();
            depth = Math.max(depth, d);
        }
        assertThat(depth).as("the tree is more than a star").isGreaterThan(1);
    }

    @Test
    void whenAnInteriorNodeCrashesItsChildrenRejoinThroughTheirAncestorsWithinTwoLeases() {
        OvercastSimulation sim = thirtyNodes();
        // the interior node with the most children
        Map<String, String> parents = actualParents(sim);
        String victim = parents.values().stream().filter(p -> !p.equals(OvercastSimulation.ROOT))
                .collect(Collectors.groupingBy(p -> p, Collectors.counting())).entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        List<String> orphans = new ArrayList<>(parents.entrySet().stream().filter(e -> e.getValue().equals(victim))
                .map(Map.Entry::getKey).toList());
        List<String> victimAncestors = sim.nodes().get(victim).updown().ancestors();
        long logBefore = sim.root().updown().log(0).size();

        sim.crash(victim);
        sim.simulator().runFor(LEASE.multipliedBy(2));

        assertThat(orphans).isNotEmpty();
        Map<String, String> view = rootView(sim);
        for (String o : orphans) {
            UpDown u = sim.nodes().get(o).updown();
            assertThat(u.parent()).as("%s's new parent", o).isNotEqualTo(victim);
            assertThat(u.ancestors()).as("%s rejoined below one of %s's ancestors", o, victim).containsAnyElementsOf(victimAncestors);
            assertThat(view.get(o)).as("the root knows %s's new parent", o).isEqualTo(u.parent());
        }
        assertThat(sim.root().updown().log(logBefore)).as("the root heard of the death")
                .anySatisfy(l -> assertThat(l.certificate().node() + " " + l.certificate().type()).isEqualTo(victim + " DEATH"));
        assertThat(rootView(sim)).as("the root's view is the live tree, new parents included").isEqualTo(actualParents(sim));
        assertThat(rootView(sim)).doesNotContainKey(victim);
    }
}
