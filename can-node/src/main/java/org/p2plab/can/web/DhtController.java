package org.p2plab.can.web;

import static org.p2plab.support.dht.DhtRequests.DELETE;
import static org.p2plab.support.dht.DhtRequests.GET;
import static org.p2plab.support.dht.DhtRequests.LOOKUP;
import static org.p2plab.support.dht.DhtRequests.PUT;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.p2plab.can.config.CanService;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanNode.LookupResult;
import org.p2plab.can.web.CanViews.LookupView;
import org.p2plab.can.web.CanViews.PutView;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.support.dht.DhtRequests;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The hash table as people use it, the same shape as Chord's: put, get and delete values by key,
 * and look up which node's zone holds a key's point. Keys are the rest of the path after /dht/.
 */
@RestController
@Tag(name = "user API", description = "Store and find values in the CAN coordinate space")
public class DhtController {

    private static final String SYSTEM = "can";

    private final CanService can;
    private final P2pMetrics metrics;

    public DhtController(CanService can, P2pMetrics metrics) {
        this.can = can;
        this.metrics = metrics;
        DhtRequests.prepareSeries(metrics, SYSTEM);
    }

    @Operation(summary = "Store a value", description = "The body is the value, any bytes (up to p2plab.can.max-value-size); "
            + "its Content-Type is kept. It lands at the node whose zone holds the key's point and is copied to that "
            + "node's neighbours. 201 when the key is new, 204 when it replaced a value.")
    @ApiResponse(responseCode = "201", description = "stored under a new key; Location is the key's URL")
    @ApiResponse(responseCode = "204", description = "replaced the key's value", content = @Content)
    @PutMapping("/dht/{*key}")
    public ResponseEntity<PutView> put(@Parameter(description = "the key, 1-1024 bytes") @PathVariable String key,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) throws IOException {
        String k = DhtRequests.validKey(key);
        byte[] value = DhtRequests.readValue(request, can.maxValueSize(), "p2plab.can.max-value-size");
        CanNode node = can.member();
        CanNode.PutResult result = timed(PUT, r -> P2pMetrics.FOUND, r -> r.route().hops(),
                () -> node.put(k, value, contentType == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE : contentType));
        HttpHeaders headers = routeHeaders(node, result.route());
        if (result.created()) {
            return ResponseEntity.created(ServletUriComponentsBuilder.fromRequest(request).replaceQuery(null).build(true).toUri())
                    .headers(headers)
                    .body(new PutView(k, result.route().point().toFractions(), result.route().owner().address(),
                            result.route().hops(), result.version()));
        }
        return ResponseEntity.noContent().headers(headers).build();
    }

    @Operation(summary = "Read a value", description = "The value as stored, with its content type; "
            + "X-P2P-Owner, X-P2P-Hops and X-P2P-Path tell how it was found.")
    @ApiResponse(responseCode = "200", description = "the value, with the Content-Type it was stored with",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @GetMapping("/dht/{*key}")
    public ResponseEntity<byte[]> get(@PathVariable String key) {
        String k = DhtRequests.validKey(key);
        CanNode node = can.member();
        CanNode.GetResult result = timed(GET, r -> r.entry().isPresent() ? P2pMetrics.FOUND : P2pMetrics.NOT_FOUND,
                r -> r.route().hops(), () -> node.get(k));
        DhtEntry entry = result.entry().orElseThrow(() -> notFound(k, result.route()));
        return ResponseEntity.ok().headers(routeHeaders(node, result.route())).contentType(DhtRequests.mediaType(entry.contentType()))
                .body(entry.value());
    }

    @Operation(summary = "Delete a value", description = "204 when deleted, 404 when there was none.")
    @ApiResponse(responseCode = "204", description = "deleted", content = @Content)
    @DeleteMapping("/dht/{*key}")
    public ResponseEntity<Void> delete(@PathVariable String key) {
        String k = DhtRequests.validKey(key);
        CanNode node = can.member();
        CanNode.DeleteResult result = timed(DELETE, r -> r.existed() ? P2pMetrics.FOUND : P2pMetrics.NOT_FOUND,
                r -> r.route().hops(), () -> node.delete(k));
        if (!result.existed()) {
            throw notFound(k, result.route());
        }
        return ResponseEntity.noContent().headers(routeHeaders(node, result.route())).build();
    }

    @Operation(summary = "Find a key's owner", description = "Hashes the key to its point, routes greedily from this "
            + "node and reports the point, the owner, the owner's zones, the hops and the path.")
    @GetMapping("/lookup/{*key}")
    public LookupView lookup(@PathVariable String key) {
        String k = DhtRequests.validKey(key);
        CanNode node = can.member();
        LookupResult result = timed(LOOKUP, r -> P2pMetrics.FOUND, LookupResult::hops, () -> node.lookup(node.pointOf(k)));
        return LookupView.of(k, node.self(), result);
    }

    private <T> T timed(String operation, Function<T, String> outcome, ToIntFunction<T> hops, Supplier<T> call) {
        return DhtRequests.timed(metrics, SYSTEM, operation, outcome, hops, call, this::problem);
    }

    /** The protocol's failures as problems: a dead owner and a lost route are 503s with a time to retry. */
    private RuntimeException problem(RuntimeException e) {
        if (e instanceof CanNode.OwnerUnavailableException dead) {
            return ProblemException.serviceUnavailable("owner-unavailable", dead.getMessage(), can.takeoverRetryAfterSeconds())
                    .with("owner", dead.owner().address());
        }
        if (e instanceof CanNode.LookupFailedException) {
            return ProblemException.serviceUnavailable("no-route", e.getMessage(), 2);
        }
        if (e instanceof CanNode.NotOwnerException) {
            return ProblemException.serviceUnavailable("zone-moved", "the key's zone kept changing hands: " + e.getMessage(), 1);
        }
        return e;
    }

    private static ProblemException notFound(String key, LookupResult route) {
        return ProblemException.notFound("key-not-found", "no value is stored under '" + DhtRequests.abbreviate(key) + "'")
                .with("key", key).with("owner", route.owner().address()).with("hops", route.hops());
    }

    private static HttpHeaders routeHeaders(CanNode node, LookupResult route) {
        return DhtRequests.routeHeaders(route.owner().address(), route.hops(), CanViews.pathOf(node.self(), route));
    }
}
