package org.p2plab.gateway.route;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.springframework.http.HttpStatus;

/**
 * Why an upstream gave no response, and what the gateway answers. Decided from the cause chain of
 * the client's exception (Apache HttpClient 5 behind a {@code RestClient}; the JDK client's
 * exceptions are recognised too).
 */
enum UpstreamFailure {

    /** Refused, unknown host, no route, or the TCP connect did not finish within connect-timeout. */
    CONNECT(HttpStatus.BAD_GATEWAY, "upstream-unavailable"),
    /** Connected, but no response headers within read-timeout. Never retried: the upstream may be working on it. */
    TIMEOUT(HttpStatus.GATEWAY_TIMEOUT, "upstream-timeout"),
    /** The connection broke before a response arrived (closed, reset). */
    BROKEN(HttpStatus.BAD_GATEWAY, "upstream-unavailable");

    final HttpStatus status;
    final String kind;

    UpstreamFailure(HttpStatus status, String kind) {
        this.status = status;
        this.kind = kind;
    }

    /**
     * Whether an idempotent request without a body may be sent once more: the connection could
     * not be made (refused, unknown host: the request never left) or it broke before an answer.
     * A connect timeout is a timeout: retrying it would double the time a client waits for an
     * answer it will not get.
     */
    boolean retryable(Throwable cause) {
        return switch (this) {
            case CONNECT -> !isConnectTimeout(cause);
            case BROKEN -> true;
            case TIMEOUT -> false;
        };
    }

    private static boolean isConnectTimeout(Throwable failure) {
        return hasCause(failure, HttpConnectTimeoutException.class) || hasCause(failure, ConnectTimeoutException.class);
    }

    static UpstreamFailure of(Throwable failure) {
        if (isConnectTimeout(failure) || hasCause(failure, ConnectException.class)
                || hasCause(failure, UnknownHostException.class) || hasCause(failure, UnresolvedAddressException.class)
                || hasCause(failure, NoRouteToHostException.class)) {
            return CONNECT;
        }
        if (hasCause(failure, HttpTimeoutException.class) || hasCause(failure, SocketTimeoutException.class)
                || hasCause(failure, TimeoutException.class)) {
            return TIMEOUT;
        }
        return BROKEN;
    }

    static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message, for the problem's detail. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getClass().getSimpleName() + ": " + root.getMessage()
                : root.getClass().getSimpleName();
    }
}
