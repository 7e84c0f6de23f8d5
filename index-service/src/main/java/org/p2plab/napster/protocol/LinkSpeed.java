package org.p2plab.napster.protocol;

/**
 * The link speeds a Napster user declares (0..10, as in 2, 6, 201, 204, 601, 604), with the
 * nominal rate of each, which the sharing peer uses to estimate a transfer's time when it picks
 * the best host.
 */
public enum LinkSpeed {
    UNKNOWN("unknown", 56_000),
    K14_4("14.4 kbps", 14_400),
    K28_8("28.8 kbps", 28_800),
    K33_6("33.6 kbps", 33_600),
    K56_7("56.7 kbps", 56_700),
    ISDN_64K("64K ISDN", 64_000),
    ISDN_128K("128K ISDN", 128_000),
    CABLE("Cable", 1_500_000),
    DSL("DSL", 768_000),
    T1("T1", 1_544_000),
    T3("T3 or greater", 44_736_000);

    public static final int MAX = 10;

    private final String label;
    private final long bitsPerSecond;

    LinkSpeed(String label, long bitsPerSecond) {
        this.label = label;
        this.bitsPerSecond = bitsPerSecond;
    }

    public int code() {
        return ordinal();
    }

    public String label() {
        return label;
    }

    /** The nominal rate (unknown: a modem's, the common case in 2000). */
    public long bitsPerSecond() {
        return bitsPerSecond;
    }

    public static LinkSpeed of(int code) {
        if (code < 0 || code > MAX) {
            throw new IllegalArgumentException("a Napster link speed is 0..10, got " + code);
        }
        return values()[code];
    }

    public static boolean valid(int code) {
        return code >= 0 && code <= MAX;
    }
}
