package org.p2plab.support.dht;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import jakarta.servlet.http.HttpServletRequest;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * What every DHT's user API ({@code PUT/GET/DELETE /dht/{key}}, {@code GET /lookup/{key}})
 * shares, so that Chord and CAN answer alike: key rules, reading a bounded value, the
 * {@code X-P2P-*} route headers, and the {@code p2p.lookup} measurement of each call.
 */
public final class DhtRequests {

    /** Keys are 1 to this many bytes of UTF-8. */
    public static final int MAX_KEY_BYTES = 1024;
    public static final String OWNER = "X-P2P-Owner";
    public static final String HOPS = "X-P2P-Hops";
    public static final String PATH = "X-P2P-Path";
    // the p2p.lookup "operation" tag of each user-API endpoint
    public static final String GET = "get";
    public static final String PUT = "put";
    public static final String DELETE = "delete";
    public static final String LOOKUP = "lookup";

    private DhtRequests() {
    }

    /**
     * Every {@code p2p.lookup} series a DHT user API can record, at zero from the start (see
     * {@link P2pMetrics#prepare}): a controller calls this once.
     */
    public static void prepareSeries(P2pMetrics metrics, String system) {
        metrics.prepare(system, GET, P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        metrics.prepare(system, PUT, P2pMetrics.FOUND, P2pMetrics.FAILED);
        metrics.prepare(system, DELETE, P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        metrics.prepare(system, LOOKUP, P2pMetrics.FOUND, P2pMetrics.FAILED);
    }

    /** The key from a {@code /dht/{*key}} path variable (leading slash dropped), or a 400 problem. */
    public static String validKey(String raw) {
        String key = raw.startsWith("/") ? raw.substring(1) : raw;
        if (key.isEmpty()) {
            throw ProblemException.badRequest("invalid-key", "the key is empty: use /dht/{key} with a key of 1 to "
                    + MAX_KEY_BYTES + " bytes");
        }
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw ProblemException.badRequest("invalid-key", "the key is " + bytes + " bytes long; keys are at most "
                    + MAX_KEY_BYTES + " bytes");
        }
        return key;
    }

    /** The request body, at most {@code max} bytes, or a 413 problem naming the property that sets the limit. */
    public static byte[] readValue(HttpServletRequest request, long max, String property) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(declared, max, property);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] value = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (value.length > max) {
                throw tooLarge(value.length, max, property);
            }
            return value;
        }
    }

    private static ProblemException tooLarge(long size, long max, String property) {
        return ProblemException.payloadTooLarge("the value is " + (size > max + 1 ? size + " bytes" : "over " + max + " bytes")
                + "; this system accepts values up to " + max + " bytes (" + property + ")");
    }

    /** A stored content type as a media type; octet-stream when absent or unparsable. */
    public static MediaType mediaType(String contentType) {
        if (contentType == null) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
        try {
            return MediaType.parseMediaType(contentType);
        }
        catch (IllegalArgumentException e) {
            return MediaType.APPLICATION_OCTET_STREAM;
        }
    }

    /** X-P2P-Owner, X-P2P-Hops and (when {@code path} is not null) X-P2P-Path. */
    public static HttpHeaders routeHeaders(String owner, int hops, List<String> path) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(OWNER, owner);
        headers.set(HOPS, Integer.toString(hops));
        if (path != null) {
            headers.set(PATH, String.join(",", path));
        }
        return headers;
    }

    /**
     * The {@code bootstrap} of a join request: present (else a 400 missing-parameter) and a
     * node's base URL (else a 400 invalid-bootstrap); {@code what} names what it joins.
     */
    public static String requiredBootstrap(String bootstrap, String what, String example) {
        if (bootstrap == null || bootstrap.isBlank()) {
            throw ProblemException.badRequest("missing-parameter", "give the URL of a node of the " + what + " to join: "
                    + "{\"bootstrap\": \"http://host:port\"}");
        }
        return validBootstrap(bootstrap.trim(), example);
    }

    /**
     * A node's base URL given to join through ({@code http(s)://host:port}, no path), or a 400
     * problem; {@code example} shows the expected form.
     */
    public static String validBootstrap(String url, String example) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(url, "not an http(s) URL with a host");
            }
            if (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath())) {
                throw new URISyntaxException(url, "a node's base URL has no path");
            }
            return url;
        }
        catch (URISyntaxException e) {
            throw ProblemException.badRequest("invalid-bootstrap", "bootstrap must be a node's base URL such as "
                    + example + ", got '" + url + "': " + e.getReason());
        }
    }

    /** A key shortened for messages. */
    public static String abbreviate(String key) {
        return key.length() <= 64 ? key : key.substring(0, 61) + "...";
    }

    /**
     * Runs one user-facing call and records it in {@code p2p.lookup} (outcome and hops from the
     * result; when it throws, no hops and "not_found" if the problem it becomes is a 404, else
     * "failed"). {@code failure} turns the protocol's own
     * exceptions into problems (e.g. a failed lookup into a 503); others pass through.
     */
    public static <T> T timed(P2pMetrics metrics, String system, String operation, Function<T, String> outcome,
            ToIntFunction<T> hops, Supplier<T> call, Function<RuntimeException, RuntimeException> failure) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            metrics.recordLookup(system, operation, outcome.apply(result), Duration.ofNanos(System.nanoTime() - start),
                    hops.applyAsInt(result));
            return result;
        }
        catch (RuntimeException e) {
            RuntimeException answer = failure.apply(e);
            // a 404 problem is a lookup that found nothing, not one that failed
            String failed = answer instanceof ProblemException p && p.status().value() == 404 ? P2pMetrics.NOT_FOUND
                    : P2pMetrics.FAILED;
            metrics.recordLookup(system, operation, failed, Duration.ofNanos(System.nanoTime() - start), -1);
            throw answer;
        }
    }
}
