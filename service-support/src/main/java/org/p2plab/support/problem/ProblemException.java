package org.p2plab.support.problem;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;

/**
 * What a service throws to answer with an RFC 9457 problem: a status, a stable kind (sent as
 * {@code type = urn:p2plab:problem:<kind>}), a title, a detail a person can act on, optional
 * extra members and an optional {@code Retry-After}. The problem handler renders it as
 * {@code application/problem+json}; nothing is logged, since it is an expected answer.
 *
 * <pre>{@code
 * throw ProblemException.notFound("no-such-key", "No value is stored under key " + key)
 *         .with("key", key);
 * throw ProblemException.serviceUnavailable("no-live-successor",
 *         "Every successor in the list is down; stabilization will repair the ring", 2);
 * }</pre>
 */
public class ProblemException extends RuntimeException implements ErrorResponse {

    private final HttpStatusCode status;
    private final String kind;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final Long retryAfterSeconds;

    public ProblemException(HttpStatusCode status, String kind, String title, String detail,
                            Map<String, ?> properties, Long retryAfterSeconds, Throwable cause) {
        super(detail, cause);
        if (status == null || status.value() < 400) {
            throw new IllegalArgumentException("a problem needs a 4xx or 5xx status, got: " + status);
        }
        if (retryAfterSeconds != null && retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
        }
        this.status = status;
        this.kind = ProblemKinds.requireValid(kind);
        this.title = title != null ? title : ProblemKinds.title(kind);
        if (properties != null) {
            properties.forEach(this::with);
        }
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ProblemException(HttpStatusCode status, String kind, String title, String detail) {
        this(status, kind, title, detail, null, null, null);
    }

    /** Any status and kind; the title is derived from the kind. */
    public static ProblemException of(HttpStatusCode status, String kind, String detail) {
        return new ProblemException(status, kind, null, detail);
    }

    /** 404 {@code not-found}. */
    public static ProblemException notFound(String detail) {
        return notFound(ProblemKinds.NOT_FOUND, detail);
    }

    /** 404 with a service's own kind, e.g. {@code no-such-key}. */
    public static ProblemException notFound(String kind, String detail) {
        return of(HttpStatus.NOT_FOUND, kind, detail);
    }

    /** 400 with a service's own kind, e.g. {@code key-out-of-range}. */
    public static ProblemException badRequest(String kind, String detail) {
        return of(HttpStatus.BAD_REQUEST, kind, detail);
    }

    /** 409 {@code conflict}. */
    public static ProblemException conflict(String detail) {
        return conflict(ProblemKinds.CONFLICT, detail);
    }

    /** 409 with a service's own kind, e.g. {@code already-joined}. */
    public static ProblemException conflict(String kind, String detail) {
        return of(HttpStatus.CONFLICT, kind, detail);
    }

    /** 413 {@code payload-too-large}. */
    public static ProblemException payloadTooLarge(String detail) {
        return of(HttpStatus.CONTENT_TOO_LARGE, ProblemKinds.PAYLOAD_TOO_LARGE, detail);
    }

    /** 502 {@code bad-gateway}: a peer answered something this node cannot use. */
    public static ProblemException badGateway(String detail) {
        return of(HttpStatus.BAD_GATEWAY, ProblemKinds.BAD_GATEWAY, detail);
    }

    /**
     * 503 with {@code Retry-After}: the overlay cannot route right now (no live successor, no
     * neighbour, still joining) and will likely be able to shortly.
     */
    public static ProblemException serviceUnavailable(String kind, String detail, long retryAfterSeconds) {
        return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, kind, null, detail, null,
                retryAfterSeconds, null);
    }

    /** Adds an extension member to the problem (e.g. the key, the owner); call before throwing. */
    public ProblemException with(String name, Object value) {
        if (name == null || name.isBlank() || isStandardMember(name)) {
            throw new IllegalArgumentException("not a valid extension member name: " + name);
        }
        properties.put(name, value);
        return this;
    }

    private static boolean isStandardMember(String name) {
        return switch (name) {
            case "type", "title", "status", "detail", "instance" -> true;
            default -> false;
        };
    }

    public HttpStatusCode status() {
        return status;
    }

    public String kind() {
        return kind;
    }

    public URI type() {
        return ProblemKinds.type(kind);
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds);
    }

    // --- ErrorResponse, so Spring (and anything that understands ErrorResponse) renders it too

    @Override
    public HttpStatusCode getStatusCode() {
        return status;
    }

    @Override
    public HttpHeaders getHeaders() {
        HttpHeaders headers = new HttpHeaders();
        if (retryAfterSeconds != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return headers;
    }

    @Override
    public ProblemDetail getBody() {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, getMessage());
        body.setType(type());
        body.setTitle(title);
        properties.forEach(body::setProperty);
        return body;
    }
}
