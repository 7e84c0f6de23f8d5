package org.p2plab.support.http;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code p2plab.http.*}: the HTTP limits every service shares.
 *
 * @param connectTimeout  how long a peer call waits for the TCP connection (default 1s)
 * @param readTimeout     how long a peer call waits for the response (default 3s); a peer slower
 *                        than this counts as unavailable
 * @param maxRequestSize  largest request body this service accepts (default 16MB); larger ones
 *                        get 413 {@code payload-too-large}
 * @param artificialLatency added before every outbound peer call (default 0: none), a teaching
 *                        knob that makes each overlay hop cost like a wide-area link; see
 *                        {@link ArtificialLatencyInterceptor}
 */
@ConfigurationProperties("p2plab.http")
public record PeerHttpProperties(
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("3s") Duration readTimeout,
        @DefaultValue("16MB") DataSize maxRequestSize,
        @DefaultValue("0ms") Duration artificialLatency) {

    public PeerHttpProperties {
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(1), "connect-timeout");
        readTimeout = positive(readTimeout, Duration.ofSeconds(3), "read-timeout");
        if (maxRequestSize == null) {
            maxRequestSize = DataSize.ofMegabytes(16);
        }
        if (maxRequestSize.toBytes() <= 0) {
            throw new IllegalArgumentException("p2plab.http.max-request-size must be positive, got " + maxRequestSize);
        }
        if (artificialLatency == null) {
            artificialLatency = Duration.ZERO;
        }
        if (artificialLatency.isNegative()) {
            throw new IllegalArgumentException("p2plab.http.artificial-latency must not be negative, got " + artificialLatency);
        }
    }

    /** The defaults: 1s connect, 3s read, 16MB bodies, no artificial latency. */
    public static PeerHttpProperties defaults() {
        return new PeerHttpProperties(null, null, null, null);
    }

    private static Duration positive(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("p2plab.http." + name + " must be positive, got " + value);
        }
        return value;
    }
}
