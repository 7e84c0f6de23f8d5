package org.p2plab.support.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Holds every outbound peer request back by {@code p2plab.http.artificial-latency} before it is
 * sent: a teaching knob that makes each overlay hop cost what a wide-area link would (a lab
 * cluster's pods are a fraction of a millisecond apart), so that the hop count of a lookup shows
 * up in its latency the way it did in the papers' measurements.
 */
public final class ArtificialLatencyInterceptor implements ClientHttpRequestInterceptor {

    /** How the interceptor waits; {@link Thread#sleep(Duration)} outside tests. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private final Duration latency;
    private final Pause pause;

    public ArtificialLatencyInterceptor(Duration latency) {
        this(latency, Thread::sleep);
    }

    public ArtificialLatencyInterceptor(Duration latency, Pause pause) {
        if (latency.isNegative()) {
            throw new IllegalArgumentException("artificial latency must not be negative, got " + latency);
        }
        this.latency = latency;
        this.pause = pause;
    }

    public Duration latency() {
        return latency;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        if (!latency.isZero()) {
            try {
                pause.pause(latency);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                InterruptedIOException interrupted = new InterruptedIOException(
                        "interrupted while delaying " + request.getMethod() + " " + request.getURI());
                interrupted.initCause(e);
                throw interrupted;
            }
        }
        return execution.execute(request, body);
    }
}
