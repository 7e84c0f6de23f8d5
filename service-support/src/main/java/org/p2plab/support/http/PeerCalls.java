package org.p2plab.support.http;

import java.util.function.Supplier;

import org.p2plab.overlay.PeerUnavailableException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Wraps one outbound call to a peer and translates its failures into the two outcomes protocol
 * code cares about:
 * <ul>
 *   <li>{@link PeerUnavailableException}: connection refused, connect/read timeout, any I/O
 *       error, a 5xx from the peer, or a response this node cannot read — route around the peer;</li>
 *   <li>{@link PeerRejectedException}: a 4xx — the peer is alive and said no; carries its
 *       status and problem detail.</li>
 * </ul>
 * <pre>{@code
 * NodeRef successor = PeerCalls.call(peer, () -> peerRestClient.get()
 *         .uri(peer + "/peer/successor").retrieve().body(NodeRef.class));
 * }</pre>
 */
public final class PeerCalls {

    private PeerCalls() {
    }

    /** Runs {@code call} against the peer at {@code address}, translating failures (see class doc). */
    public static <T> T call(String address, Supplier<T> call) {
        try {
            return call.get();
        }
        catch (HttpClientErrorException e) {
            throw new PeerRejectedException(address, e.getStatusCode(), problem(e), e);
        }
        catch (HttpServerErrorException e) {
            throw new PeerUnavailableException(address,
                    "peer answered " + e.getStatusCode().value() + problemDetail(e), e);
        }
        catch (RestClientResponseException e) {
            // a status outside 4xx/5xx that the client still treats as an error
            throw new PeerUnavailableException(address, "peer answered " + e.getStatusCode().value(), e);
        }
        catch (ResourceAccessException e) {
            throw new PeerUnavailableException(address, describe(e), e);
        }
        catch (RestClientException e) {
            throw new PeerUnavailableException(address, "unusable response: " + e.getMessage(), e);
        }
    }

    /** {@link #call} for calls without a result. */
    public static void run(String address, Runnable call) {
        call(address, () -> {
            call.run();
            return null;
        });
    }

    private static String describe(ResourceAccessException e) {
        Throwable root = e.getMostSpecificCause();
        String what = root.getClass().getSimpleName();
        return root.getMessage() != null ? what + ": " + root.getMessage() : what;
    }

    private static ProblemDetail problem(RestClientResponseException e) {
        MediaType type = e.getResponseHeaders() != null ? e.getResponseHeaders().getContentType() : null;
        if (type == null || !(type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                || type.isCompatibleWith(MediaType.APPLICATION_JSON))) {
            return null;
        }
        try {
            return e.getResponseBodyAs(ProblemDetail.class);
        }
        catch (RuntimeException unreadable) {
            return null;
        }
    }

    private static String problemDetail(RestClientResponseException e) {
        ProblemDetail problem = problem(e);
        return problem != null && problem.getDetail() != null ? ": " + problem.getDetail() : "";
    }
}
