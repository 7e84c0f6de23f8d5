package org.p2plab.support.http;

import java.util.Optional;

import org.p2plab.support.problem.ProblemKinds;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * A peer answered this node's call with a 4xx: it is alive, but refused the request (unknown
 * key, bad input, wrong state). Unlike {@link org.p2plab.overlay.PeerUnavailableException}
 * routing around the peer will not help. Carries the peer's status and, when the peer is a
 * p2plab service, its problem detail, so callers can switch on {@link #kind()}.
 * Escaping a controller it becomes 502 {@code peer-rejected}.
 */
public class PeerRejectedException extends RuntimeException {

    private final String address;
    private final HttpStatusCode status;
    private final ProblemDetail problem;

    public PeerRejectedException(String address, HttpStatusCode status, ProblemDetail problem, Throwable cause) {
        super(message(address, status, problem), cause);
        this.address = address;
        this.status = status;
        this.problem = problem;
    }

    private static String message(String address, HttpStatusCode status, ProblemDetail problem) {
        String detail = problem != null && problem.getDetail() != null ? ": " + problem.getDetail() : "";
        return "Peer " + address + " rejected the request with " + status.value() + detail;
    }

    /** The peer's address, as given to {@link PeerCalls}. */
    public String address() {
        return address;
    }

    /** The peer's HTTP status (4xx). */
    public HttpStatusCode status() {
        return status;
    }

    /** The peer's problem detail, if it sent one. */
    public Optional<ProblemDetail> problem() {
        return Optional.ofNullable(problem);
    }

    /** What the peer said was wrong: its problem's detail, else this exception's message. */
    public String detail() {
        return problem().map(ProblemDetail::getDetail).orElse(getMessage());
    }

    /** The p2plab problem kind the peer answered with (e.g. {@code not-found}), if any. */
    public Optional<String> kind() {
        return problem().map(ProblemDetail::getType).map(ProblemKinds::kindOf);
    }
}
