package org.p2plab.gateway.route;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpStatus;

/**
 * Why an upstream gave no response, and what the gateway answers. Decided from the cause chain of
 * the client's exception (the JDK {@code HttpClient} behind a {@code RestClient}).
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

    static UpstreamFailure of(Throwable failure) {
        if (hasCause(failure, HttpConnectTimeoutException.class) || hasCause(failure, ConnectException.class)
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
