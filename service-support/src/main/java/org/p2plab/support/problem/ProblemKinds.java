package org.p2plab.support.problem;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The stable problem kinds every p2plab service answers with. A kind {@code k} is sent as the
 * RFC 9457 {@code type} {@code urn:p2plab:problem:k}; clients and tests switch on it, so a
 * kind, once published, never changes meaning. Services add their own kinds (lower-case words
 * joined by '-') through {@link ProblemException}.
 */
public final class ProblemKinds {

    /** Prefix of every p2plab problem {@code type}. */
    public static final String TYPE_PREFIX = "urn:p2plab:problem:";

    /** The body is not JSON, or JSON of the wrong shape (400). */
    public static final String MALFORMED_BODY = "malformed-body";
    /** A path/query/header value cannot be converted to the declared type (400). */
    public static final String INVALID_PARAMETER = "invalid-parameter";
    /** A required parameter, header, part or the body is absent (400). */
    public static final String MISSING_PARAMETER = "missing-parameter";
    /** Bean validation failed; the {@code errors} property lists field and message (400). */
    public static final String VALIDATION = "validation";
    /** Generic bad input, e.g. an {@link IllegalArgumentException} from protocol code (400). */
    public static final String BAD_REQUEST = "bad-request";
    /** The request URL itself is malformed, e.g. broken percent-encoding (400). */
    public static final String MALFORMED_URI = "malformed-uri";
    /** No endpoint or no such resource (404). */
    public static final String NOT_FOUND = "not-found";
    /** The endpoint exists but not for this HTTP method; see the Allow header (405). */
    public static final String METHOD_NOT_ALLOWED = "method-not-allowed";
    /** No representation matches the Accept header (406). */
    public static final String NOT_ACCEPTABLE = "not-acceptable";
    /** The state of the resource does not allow the request (409). */
    public static final String CONFLICT = "conflict";
    /** The body exceeds {@code p2plab.http.max-request-size} or the multipart limits (413). */
    public static final String PAYLOAD_TOO_LARGE = "payload-too-large";
    /** The Content-Type of the body is not supported by the endpoint (415). */
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type";
    /** A bug: the request was fine, the server failed. Logged with an {@code errorId} (500). */
    public static final String INTERNAL_ERROR = "internal-error";
    /** A peer answered with an error this node could not recover from (502). */
    public static final String BAD_GATEWAY = "bad-gateway";
    /** A peer rejected this node's request with a 4xx (502); see {@code peerStatus}. */
    public static final String PEER_REJECTED = "peer-rejected";
    /** The overlay cannot serve the request right now; retry after Retry-After (503). */
    public static final String SERVICE_UNAVAILABLE = "service-unavailable";
    /** A peer needed to answer did not (refused, timed out, 5xx); retry (503). */
    public static final String PEER_UNAVAILABLE = "peer-unavailable";

    private static final Pattern KIND = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private static final Map<String, String> TITLES = Map.ofEntries(
            Map.entry(MALFORMED_BODY, "Malformed request body"),
            Map.entry(INVALID_PARAMETER, "Invalid parameter"),
            Map.entry(MISSING_PARAMETER, "Missing parameter"),
            Map.entry(VALIDATION, "Validation failed"),
            Map.entry(BAD_REQUEST, "Bad request"),
            Map.entry(MALFORMED_URI, "Malformed URI"),
            Map.entry(NOT_FOUND, "Not found"),
            Map.entry(METHOD_NOT_ALLOWED, "Method not allowed"),
            Map.entry(NOT_ACCEPTABLE, "Not acceptable"),
            Map.entry(CONFLICT, "Conflict"),
            Map.entry(PAYLOAD_TOO_LARGE, "Payload too large"),
            Map.entry(UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),
            Map.entry(INTERNAL_ERROR, "Internal error"),
            Map.entry(BAD_GATEWAY, "Bad gateway"),
            Map.entry(PEER_REJECTED, "Peer rejected the request"),
            Map.entry(SERVICE_UNAVAILABLE, "Service unavailable"),
            Map.entry(PEER_UNAVAILABLE, "Peer unavailable"));

    private ProblemKinds() {
    }

    /** {@code urn:p2plab:problem:<kind>}; rejects kinds that are not lower-case words joined by '-'. */
    public static URI type(String kind) {
        return URI.create(TYPE_PREFIX + requireValid(kind));
    }

    /** The kind of a p2plab problem type, or {@code null} if the type is not one of ours. */
    public static String kindOf(URI type) {
        if (type == null) {
            return null;
        }
        String s = type.toString();
        return s.startsWith(TYPE_PREFIX) ? s.substring(TYPE_PREFIX.length()) : null;
    }

    static String requireValid(String kind) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException(
                    "problem kind must be lower-case words joined by '-', got: " + kind);
        }
        return kind;
    }

    /** A human title for a kind: the well-known ones are fixed, others read "no-such-key" as "No such key". */
    public static String title(String kind) {
        String known = TITLES.get(kind);
        if (known != null) {
            return known;
        }
        String words = kind.replace('-', ' ');
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    /** The kind used when all we know is the status (e.g. a {@code ResponseStatusException}, or {@code /error}). */
    public static String forStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> BAD_REQUEST;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 500 -> INTERNAL_ERROR;
            case 502 -> BAD_GATEWAY;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> {
                HttpStatus known = HttpStatus.resolve(status.value());
                yield known != null
                        ? known.name().toLowerCase(Locale.ROOT).replace('_', '-')
                        : "http-" + status.value();
            }
        };
    }
}
