package org.p2plab.chord.web;

import static org.p2plab.support.dht.DhtRequests.DELETE;
import static org.p2plab.support.dht.DhtRequests.GET;
import static org.p2plab.support.dht.DhtRequests.LOOKUP;
import static org.p2plab.support.dht.DhtRequests.PUT;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

import org.p2plab.chord.config.ChordService;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordNode.LookupResult;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.chord.web.ChordViews.LookupView;
import org.p2plab.chord.web.ChordViews.NodeView;
import org.p2plab.chord.web.ChordViews.PutView;
import org.p2plab.overlay.NodeId;
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

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The DHT as people use it: put, get and delete values by key, and look up who owns a key.
 * Keys are the rest of the path after /dht/ (so they may contain slashes), 1 to 1024 bytes.
 */
@RestController
@Tag(name = "user API", description = "Store and find values in the Chord ring")
public class DhtController {

    private static final String SYSTEM = "chord";

    private final ChordService chord;
    private final P2pMetrics metrics;

    public DhtController(ChordService chord, P2pMetrics metrics) {
        this.chord = chord;
        this.metrics = metrics;
        DhtRequests.prepareSeries(metrics, SYSTEM);
    }

    @Operation(summary = "Store a value", description = "The body is the value, any bytes (up to p2plab.chord.max-value-size); "
            + "its Content-Type is kept. 201 when the key is new, 204 when it replaced a value.")
    @ApiResponse(responseCode = "201", description = "stored under a new key; Location is the key's URL")
    @ApiResponse(responseCode = "204", description = "replaced the key's value", content = @Content)
    @PutMapping("/dht/{*key}")
    public ResponseEntity<PutView> put(@Parameter(description = "the key, 1-1024 bytes") @PathVariable String key,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) throws IOException {
        String k = validKey(key);
        byte[] value = DhtRequests.readValue(request, chord.node().params().maxValueSize(), "p2plab.chord.max-value-size");
        ChordNode.PutResult result = timed(PUT, r -> P2pMetrics.FOUND, r -> r.lookup().hops(),
                () -> chord.node().put(k, value, contentType == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE : contentType));
        HttpHeaders headers = routeHeaders(result.lookup(), false);
        if (result.created()) {
            // the URL the client used, as the client sees it (through the gateway: its host and prefix)
            return ResponseEntity.created(ServletUriComponentsBuilder.fromRequest(request).replaceQuery(null).build(true).toUri())
                    .headers(headers)
                    .body(new PutView(k, result.lookup().id().toHex(), NodeView.of(result.lookup().owner()),
                            result.lookup().hops(), result.version()));
        }
        return ResponseEntity.noContent().headers(headers).build();
    }

    @Operation(summary = "Read a value", description = "The value as stored, with its content type; "
            + "X-P2P-Owner, X-P2P-Hops and X-P2P-Path tell how it was found.")
    @ApiResponse(responseCode = "200", description = "the value, with the Content-Type it was stored with",
            content = @Content(mediaType = "*/*", schema = @Schema(type = "string", format = "binary")))
    @GetMapping("/dht/{*key}")
    public ResponseEntity<byte[]> get(@PathVariable String key) {
        String k = validKey(key);
        ChordNode.GetResult result = timed(GET, r -> r.entry().isPresent() ? P2pMetrics.FOUND : P2pMetrics.NOT_FOUND,
                r -> r.lookup().hops(), () -> chord.node().get(k));
        DhtEntry entry = result.entry().orElseThrow(() -> notFound(k, result.lookup()));
        return ResponseEntity.ok().headers(routeHeaders(result.lookup(), true)).contentType(DhtRequests.mediaType(entry.contentType()))
                .body(entry.value());
    }

    @Operation(summary = "Delete a value", description = "204 when deleted, 404 when there was none.")
    @ApiResponse(responseCode = "204", description = "deleted", content = @Content)
    @DeleteMapping("/dht/{*key}")
    public ResponseEntity<Void> delete(@PathVariable String key) {
        String k = validKey(key);
        ChordNode.DeleteResult result = timed(DELETE, r -> r.existed() ? P2pMetrics.FOUND : P2pMetrics.NOT_FOUND,
                r -> r.lookup().hops(), () -> chord.node().delete(k));
        if (!result.existed()) {
            throw notFound(k, result.lookup());
        }
        return ResponseEntity.noContent().headers(routeHeaders(result.lookup(), true)).build();
    }

    @Operation(summary = "Find a key's owner", description = "Runs an iterative lookup from this node and reports "
            + "the owner (the key's successor), the path to the key's predecessor and the hops along it.")
    @GetMapping("/lookup/{*key}")
    public LookupView lookup(@PathVariable String key) {
        String k = validKey(key);
        LookupResult result = timed(LOOKUP, r -> P2pMetrics.FOUND, LookupResult::hops,
                () -> chord.node().lookup(NodeId.hash(k)));
        return LookupView.of(k, result);
    }

    private <T> T timed(String operation, Function<T, String> outcome, ToIntFunction<T> hops, Supplier<T> call) {
        return DhtRequests.timed(metrics, SYSTEM, operation, outcome, hops, call,
                e -> e instanceof ChordNode.LookupFailedException ? ProblemException.serviceUnavailable("no-route", e.getMessage(), 2) : e);
    }

    private ProblemException notFound(String key, LookupResult lookup) {
        return ProblemException.notFound("key-not-found", "no value is stored under '" + DhtRequests.abbreviate(key) + "'")
                .with("key", key).with("owner", NodeView.of(lookup.owner())).with("hops", lookup.hops());
    }

    static String validKey(String raw) {
        return DhtRequests.validKey(raw);
    }

    private static HttpHeaders routeHeaders(LookupResult lookup, boolean withPath) {
        return DhtRequests.routeHeaders(lookup.owner().address(), lookup.hops(),
                withPath ? lookup.path().stream().map(n -> n.address()).toList() : null);
    }
}
