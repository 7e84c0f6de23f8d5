package org.p2plab.anycast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** The push-probe estimator on the resolver, and the smoothing and push threshold on the server. */
class EstimatorTest {

    private static final Instant T = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void aProbeSetsTheScalingFactorAndPushesScaleByIt() {
        ServerEstimate e = new ServerEstimate();
        assertThat(e.estimate()).as("nothing before the first probe").isEmpty();
        e.push(20, T);
        assertThat(e.estimate()).as("a push alone: SF unknown").isEmpty();
        assertThat(e.tufr()).hasValue(20);

        e.probe(300, 50, T.plusSeconds(1));              // RT 300 ms while the server's TUFR was 50 ms
        assertThat(e.sf().getAsDouble()).isCloseTo(6.0, within(1e-9));
        assertThat(e.estimate()).hasValue(300);
        assertThat(e.rt()).hasValue(300);
        assertThat(e.lastProbe()).isEqualTo(T.plusSeconds(1));

        e.push(100, T.plusSeconds(2));                   // the server slowed down: TUFR doubled
        assertThat(e.estimate().getAsDouble()).isCloseTo(600, within(1e-9));  // SF × TUFR
        e.push(25, T.plusSeconds(3));
        assertThat(e.estimate().getAsDouble()).isCloseTo(150, within(1e-9));
        assertThat(e.lastPush()).isEqualTo(T.plusSeconds(3));

        e.probe(90, 30, T.plusSeconds(4));               // a new probe: a new SF
        assertThat(e.sf().getAsDouble()).isCloseTo(3.0, within(1e-9));
        assertThat(e.estimate()).hasValue(90);
    }

    @Test
    void anIdleServersNearZeroTufrDoesNotBlowTheScaleFactorUp() {
        ServerEstimate e = new ServerEstimate();
        e.probe(40, 0, T);
        assertThat(e.sf().getAsDouble()).isCloseTo(40 / ServerEstimate.MIN_TUFR_MILLIS, within(1e-9));
        e.push(0, T);
        assertThat(e.estimate().getAsDouble()).isCloseTo(40, within(1e-9));
    }

    @Test
    void nonsenseMeasurementsAreRefused() {
        ServerEstimate e = new ServerEstimate();
        assertThatThrownBy(() -> e.probe(-1, 5, T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.push(Double.NaN, T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.push(Double.POSITIVE_INFINITY, T)).isInstanceOf(IllegalArgumentException.class);
        assertThat(e.estimate()).isEmpty();
    }

    @Test
    void theServerSmoothsExponentially() {
        TufrSmoother s = new TufrSmoother(0.25, 0.2);
        assertThat(s.smoothed()).isEmpty();
        assertThat(s.observe(100)).isEqualTo(100);
        assertThat(s.observe(200)).isCloseTo(0.25 * 200 + 0.75 * 100, within(1e-9));   // 125
        assertThat(s.observe(125)).isCloseTo(125, within(1e-9));
        assertThat(s.smoothed()).hasValue(125);
    }

    @Test
    void itPushesOnlyOnASignificantChange() {
        TufrSmoother s = new TufrSmoother(1.0, 0.2);     // alpha 1: no smoothing, to see the threshold alone
        assertThat(s.pushIfSignificant()).as("nothing measured yet").isEmpty();
        s.observe(100);
        assertThat(s.pushIfSignificant()).as("the first value is always pushed").hasValue(100);
        assertThat(s.pushIfSignificant()).as("no change").isEmpty();
        s.observe(115);
        assertThat(s.pushIfSignificant()).as("15% < 20%").isEmpty();
        s.observe(119.9);
        assertThat(s.pushIfSignificant()).isEmpty();
        s.observe(121);
        assertThat(s.pushIfSignificant()).as("21% > 20% of the last pushed 100").hasValue(121);
        s.observe(100);
        assertThat(s.pushIfSignificant()).as("down 17% of 121").isEmpty();
        s.observe(90);
        assertThat(s.pushIfSignificant()).as("down 26%").hasValue(90);
        assertThatThrownBy(() -> new TufrSmoother(0, 0.2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TufrSmoother(0.5, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> s.observe(-3)).isInstanceOf(IllegalArgumentException.class);
    }
}
