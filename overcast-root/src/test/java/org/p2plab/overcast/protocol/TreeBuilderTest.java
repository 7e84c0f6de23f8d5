package org.p2plab.overcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.p2plab.overlay.PeerUnavailableException;

/** Rounds: a failed parent means a rejoin at the nearest live ancestor, never at the node itself or below it. */
class TreeBuilderTest {

    /** A view where the listed nodes answer with these bandwidths, and the rest do not. */
    record FixedView(Map<String, Double> bandwidths, Map<String, List<String>> children) implements TreeBuilder.View {
        @Override
        public double bandwidth(String node) {
            Double b = bandwidths.get(node);
            if (b == null) {
                throw new PeerUnavailableException(node, "down");
            }
            return b;
        }

        @Override
        public int hops(String node) {
            return 1;
        }

        @Override
        public List<String> children(String node) {
            bandwidth(node);
            return children.getOrDefault(node, List.of());
        }
    }

    private static UpDown under(String parent, List<String> ancestors) {
        UpDown n = new UpDown("x", parent, Duration.ofSeconds(10));
        n.checkedIn(new UpDown.Reply(ancestors));
        return n;
    }

    @Test
    void aFailedCheckInRejoinsAtTheNearestAncestorThatAnswers() {
        UpDown x = under("p", List.of("root", "g", "p"));
        x.checkInFailed(x.checkIn());
        FixedView view = new FixedView(Map.of("root", 1e6, "p", 1e6), Map.of()); // g is down too; p still answers probes
        TreeBuilder.Round r = new TreeBuilder(x, 0.1).round(view);
        assertThat(r.rejoined()).isTrue();
        assertThat(x.parent()).as("not p, whose check-in failed; not g, which is down").isEqualTo("root");
    }

    @Test
    void aRejoinFromInsideALoopNeverPicksTheNodeOrItsDescendants() {
        UpDown x = under("p", List.of("root", "p"));
        // a loop's answer: x itself and y (below x) among p's ancestors
        assertThat(x.checkedIn(new UpDown.Reply(List.of("root", "x", "y", "p")))).isFalse();
        Set<String> probed = new HashSet<>();
        TreeBuilder.View view = new FixedView(Map.of("root", 1e6, "x", 1e6, "y", 1e6, "p", 1e6), Map.of());
        TreeBuilder.Round r = new TreeBuilder(x, 0.1).round(new TreeBuilder.View() {
            @Override
            public double bandwidth(String node) {
                probed.add(node);
                return view.bandwidth(node);
            }

            @Override
            public int hops(String node) {
                return 1;
            }

            @Override
            public List<String> children(String node) {
                return view.children(node);
            }
        });
        assertThat(r.rejoined()).isTrue();
        assertThat(x.parent()).isEqualTo("root");
        assertThat(probed).doesNotContain("x", "y");
    }

    @Test
    void aHealthyParentMeansAnOrdinaryRound() {
        UpDown x = under("p", List.of("root", "p"));
        FixedView view = new FixedView(Map.of("p", 1e6, "s", 5e6), Map.of("p", List.of("x", "s")));
        TreeBuilder.Round r = new TreeBuilder(x, 0.1).round(view);
        assertThat(r.rejoined()).isFalse();
        assertThat(r.moved()).isTrue();
        assertThat(x.parent()).as("s is clearly better than p").isEqualTo("s");
    }

    @Test
    void aNodeMovesUpUnderItsGrandparentWhenItsParentIsClearlyWorse() {
        UpDown x = under("p", List.of("root", "g", "p"));
        FixedView slowParent = new FixedView(Map.of("p", 1e5, "g", 1e6), Map.of("p", List.of("x")));
        TreeBuilder.Round r = new TreeBuilder(x, 0.1).round(slowParent);
        assertThat(r.moved()).isTrue();
        assertThat(x.parent()).isEqualTo("g");
        assertThat(r.measured()).extracting(Placement.Measured::node).containsExactly("p", "g");

        UpDown y = under("p", List.of("root", "g", "p"));
        FixedView aboutEqual = new FixedView(Map.of("p", 1e6, "g", 1.05e6), Map.of("p", List.of("y")));
        assertThat(new TreeBuilder(y, 0.1).round(aboutEqual).moved()).as("a tie: it stays").isFalse();
        assertThat(y.parent()).isEqualTo("p");
    }
}
