package org.p2plab.overcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.overcast.protocol.Placement.Measured;

/** One tree-building round: move under a sibling that is about as good as the parent and nearer, or clearly better. */
class PlacementTest {

    private static final Measured PARENT = new Measured("p", 1000, 3);

    @Test
    void aNearerSiblingWithinTenPercentOfTheParentIsTheNewParent() {
        assertThat(Placement.choose(PARENT, List.of(new Measured("s", 950, 2)), 0.1)).map(Measured::node).hasValue("s");
        assertThat(Placement.choose(PARENT, List.of(new Measured("s", 900, 1)), 0.1)).as("exactly 10% worse").isPresent();
    }

    @Test
    void aTieWithTheParentThatIsNoNearerMeansStay() {
        assertThat(Placement.choose(PARENT, List.of(new Measured("s", 1000, 3)), 0.1)).as("as good, as far").isEmpty();
        assertThat(Placement.choose(PARENT, List.of(new Measured("s", 1050, 7)), 0.1)).as("as good, farther").isEmpty();
        assertThat(Placement.choose(PARENT, List.of(new Measured("s", 2000, 7)), 0.1)).as("clearly better, however far")
                .map(Measured::node).hasValue("s");
    }

    @Test
    void noSiblingAsGoodAsTheParentMeansStay() {
        assertThat(Placement.choose(PARENT, List.of(new Measured("s", 899, 1), new Measured("t", 10, 1)), 0.1)).isEmpty();
        assertThat(Placement.choose(PARENT, List.of(), 0.1)).isEmpty();
        assertThat(Placement.choose(new Measured("p", 0, 1), List.of(new Measured("s", 0, 1)), 0.1))
                .as("nothing measured is nothing to move for").isEmpty();
    }

    @Test
    void theBestBandwidthWinsAndTiesWithinTenPercentGoToFewerHops() {
        List<Measured> siblings = List.of(new Measured("far", 2000, 5), new Measured("near", 1850, 2), new Measured("ok", 1000, 1));
        assertThat(Placement.choose(PARENT, siblings, 0.1)).map(Measured::node).as("1850 is within 10% of 2000, and nearer; "
                + "1000 is not").hasValue("near");
        List<Measured> clear = List.of(new Measured("far", 2000, 5), new Measured("near", 1700, 2));
        assertThat(Placement.choose(PARENT, clear, 0.1)).map(Measured::node).as("1700 is not within 10% of 2000").hasValue("far");
        List<Measured> sameHops = List.of(new Measured("x", 1900, 2), new Measured("y", 2000, 2));
        assertThat(Placement.choose(PARENT, sameHops, 0.1)).map(Measured::node).as("equal hops: the bandwidth").hasValue("y");
    }

    @Test
    void badMeasurementsAreRefused() {
        assertThatThrownBy(() -> new Measured("x", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Measured("x", Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Placement.choose(PARENT, List.of(), 1.0)).isInstanceOf(IllegalArgumentException.class);
    }
}
