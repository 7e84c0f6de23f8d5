package org.p2plab.anycast.protocol;

import java.time.Instant;
import java.util.OptionalDouble;

/**
 * What the resolver knows of one server's response time, by the hybrid push-probe technique of
 * Fei, Bhattacharjee, Zegura and Ammar (INFOCOM 1998):
 * <ul>
 *   <li>a <b>probe</b> (rare, heavy) fetches the server's probe file and measures the response
 *       time RT the client would see; the file holds the server's latest TUFR (time until
 *       first read of its request cycle), so the scaling factor {@code SF = RT / TUFR} captures
 *       the path (network delay, transfer) on top of the server's own time;</li>
 *   <li>a <b>push</b> (frequent, light) of a new TUFR between probes gives the estimate
 *       {@code RT = SF × TUFR}.</li>
 * </ul>
 * Not thread-safe: its group guards it.
 */
public final class ServerEstimate {

    /** A TUFR below this counts as this in SF = RT / TUFR: an idle server's near-zero TUFR must not blow SF up. */
    public static final double MIN_TUFR_MILLIS = 1.0;

    private double tufr = Double.NaN;
    private double rt = Double.NaN;
    private double sf = Double.NaN;
    private double estimate = Double.NaN;
    private Instant lastPush;
    private Instant lastProbe;
    private Instant unreachableSince;

    /** A probe measured {@code rtMillis}; the probe file said the server's TUFR is {@code tufrMillis}. */
    public void probe(double rtMillis, double tufrMillis, Instant now) {
        requireNonNegative(rtMillis, "RT");
        requireNonNegative(tufrMillis, "TUFR");
        rt = rtMillis;
        tufr = tufrMillis;
        sf = rtMillis / Math.max(tufrMillis, MIN_TUFR_MILLIS);
        estimate = rtMillis;
        lastProbe = now;
        unreachableSince = null;
    }

    /**
     * A probe got no answer: the server is left out of the choice until it answers a probe or
     * pushes again (a server that pushes is alive).
     */
    public void unreachable(Instant now) {
        if (unreachableSince == null) {
            unreachableSince = now;
        }
        lastProbe = now;
    }

    /** Since when probes get no answer; null while it answers. */
    public Instant unreachableSince() {
        return unreachableSince;
    }

    /** Copies what another resolver knows of a server (a cached group of the resolver hierarchy). */
    void restore(double tufrMillis, double rtMillis, double sfValue, double estimateMillis, Instant push, Instant probe,
                 Instant unreachable) {
        tufr = tufrMillis;
        rt = rtMillis;
        sf = sfValue;
        estimate = estimateMillis;
        lastPush = push;
        lastProbe = probe;
        unreachableSince = unreachable;
    }

    /** The server pushed a new TUFR: until the next probe, the estimate is SF × TUFR. */
    public void push(double tufrMillis, Instant now) {
        requireNonNegative(tufrMillis, "TUFR");
        tufr = tufrMillis;
        lastPush = now;
        unreachableSince = null;
        if (!Double.isNaN(sf)) {
            estimate = sf * Math.max(tufrMillis, MIN_TUFR_MILLIS);
        }
    }

    private static void requireNonNegative(double v, String what) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite number of milliseconds >= 0, got " + v);
        }
    }

    /** The estimated response time in milliseconds; empty before the first probe (SF unknown). */
    public OptionalDouble estimate() {
        return Double.isNaN(estimate) ? OptionalDouble.empty() : OptionalDouble.of(estimate);
    }

    public OptionalDouble tufr() {
        return Double.isNaN(tufr) ? OptionalDouble.empty() : OptionalDouble.of(tufr);
    }

    public OptionalDouble rt() {
        return Double.isNaN(rt) ? OptionalDouble.empty() : OptionalDouble.of(rt);
    }

    public OptionalDouble sf() {
        return Double.isNaN(sf) ? OptionalDouble.empty() : OptionalDouble.of(sf);
    }

    public Instant lastPush() {
        return lastPush;
    }

    public Instant lastProbe() {
        return lastProbe;
    }
}
