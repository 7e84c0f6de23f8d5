package org.p2plab.gnutella.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.p2plab.gnutella.config.ServentService;
import org.p2plab.gnutella.net.Connection;
import org.p2plab.gnutella.net.HostCache;
import org.p2plab.gnutella.net.Searches;
import org.p2plab.gnutella.net.Servent;
import org.p2plab.gnutella.net.SharedFiles;
import org.p2plab.gnutella.net.Transfers;
import org.p2plab.gnutella.protocol.Base32;
import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Library;
import org.p2plab.support.http.RawQuery;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The servent as its user drives it: searches (flooded over the Gnutella network, their hits
 * collected here and streamed live), neighbours and the host cache, the shared files, downloads
 * from other servents, and the routing counters.
 */
@RestController
@Tag(name = "gnutella", description = "A Gnutella 0.6 servent: flooding search, neighbours, shares, downloads over HTTP, counters")
public class GnutellaController {

    private final ServentService service;
    /** Results not sent to an event stream whose client did not keep up. */
    private final java.util.concurrent.atomic.AtomicLong eventsDropped = new java.util.concurrent.atomic.AtomicLong();

    public GnutellaController(ServentService service) {
        this.service = service;
    }

    // ---- searches ----

    public record SearchBody(@NotBlank @Size(max = 256) @Schema(example = "beatles help") String query,
                             @Min(1) @Max(255) @Schema(description = "TTL of the query (default: initial-ttl; clamped to max-ttl)", example = "4")
                             Integer ttl) {
    }

    public record SearchView(String id, String query, int ttl, boolean live, long started, int count, List<Searches.Result> results) {
        static SearchView of(Searches.Search s, long now) {
            List<Searches.Result> r = s.results();
            return new SearchView(s.id(), s.query(), s.ttl(), s.live(now), s.started(), r.size(), r);
        }
    }

    @Operation(summary = "Start a search: a Query with a new GUID goes to every neighbour and floods the network within its TTL; "
            + "hits come back along the reverse path and are collected under the search's id (the GUID) while it is live")
    @PostMapping("/searches")
    public ResponseEntity<SearchView> search(@Valid @RequestBody SearchBody b) {
        Servent s = service.servent();
        if (Library.words(b.query()).isEmpty()) {
            throw ProblemException.badRequest("no-keywords", "the query needs a word of two or more letters or digits");
        }
        int max = s.node().params().maxTtl();
        int ttl = b.ttl() == null ? s.node().params().initialTtl() : b.ttl();
        if (ttl > max) {
            throw ProblemException.badRequest("ttl-too-high", "this servent's max-ttl is " + max + " (neighbours would clamp more anyway)")
                    .with("maxTtl", max);
        }
        Searches.Search search = s.search(b.query().strip(), ttl);
        return ResponseEntity.created(location("/searches/{id}", search.id())).body(SearchView.of(search, s.clock().millis()));
    }

    @Operation(summary = "The searches this servent started (newest last)")
    @GetMapping("/searches")
    public List<SearchView> searches() {
        Servent s = service.servent();
        return s.searches().all().stream().map(x -> SearchView.of(x, s.clock().millis())).toList();
    }

    @Operation(summary = "A search's results so far (peer, index, name, size, SHA-1, hops, speed, servent GUID, push and busy flags) "
            + "and whether it is still live")
    @GetMapping("/searches/{id}")
    public SearchView search(@PathVariable String id) {
        Servent s = service.servent();
        return SearchView.of(find(s, id), s.clock().millis());
    }

    @Operation(summary = "Stop collecting hits for a search")
    @DeleteMapping("/searches/{id}")
    public ResponseEntity<Void> stop(@PathVariable String id) {
        Servent s = service.servent();
        find(s, id).stop(s.clock().millis());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "A search's results as server-sent events: one 'result' event per result (those so far first), then "
            + "'end' when the search is no longer live")
    @GetMapping(value = "/searches/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter events(@PathVariable String id) {
        Servent s = service.servent();
        Searches.Search search = find(s, id);
        long left = Math.max(1000, search.started() + service.searchLifetimeMillis() - s.clock().millis() + 5000);
        SseEmitter emitter = new SseEmitter(left);
        Runnable[] unsubscribe = new Runnable[1];
        unsubscribe[0] = search.watch(Searches.buffered(new Searches.Watcher() {
            @Override
            public void result(Searches.Result r) {
                try {
                    emitter.send(SseEmitter.event().name("result").data(r, MediaType.APPLICATION_JSON));
                }
                catch (IOException | IllegalStateException e) {
                    emitter.completeWithError(e);
                    if (unsubscribe[0] != null) {
                        unsubscribe[0].run();
                    }
                }
            }

            @Override
            public void ended() {
                try {
                    emitter.send(SseEmitter.event().name("end").data(Map.of("id", search.id(), "count", search.results().size()),
                            MediaType.APPLICATION_JSON));
                    emitter.complete();
                }
                catch (IOException | IllegalStateException e) {
                    emitter.completeWithError(e);
                }
            }
        }, 1000, eventsDropped), s.clock().millis());
        emitter.onCompletion(unsubscribe[0]);
        emitter.onTimeout(unsubscribe[0]);
        return emitter;
    }

    /** An absolute URL under this service (behind the gateway: its host and prefix). */
    private static URI location(String path, Object id) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path(path).buildAndExpand(id).toUri();
    }

    private static Searches.Search find(Servent s, String id) {
        Searches.Search search = s.searches().get(id);
        if (search == null) {
            throw ProblemException.notFound("no-such-search", "no search " + id + " (ids are the 32 hex digits POST /searches gave)");
        }
        return search;
    }

    // ---- neighbours and hosts ----

    public record NeighbourView(String id, String address, String remote, boolean ultrapeer, boolean outgoing, String userAgent,
                                boolean byePacket, long connectedAt, long messagesIn, long messagesOut, long dropped) {
        static NeighbourView of(Connection c) {
            return new NeighbourView(c.id(), c.listenAddress(), c.remoteAddress(), c.ultrapeer(), c.outgoing(), c.userAgent(),
                    c.byeSupported(), c.connectedAt(), c.messagesIn(), c.messagesOut(), c.dropped());
        }
    }

    public record NeighbourBody(@NotBlank @Size(max = 253) @Pattern(regexp = "[A-Za-z0-9.\\-]+") @Schema(example = "127.0.0.1") String host,
                                @NotNull @Min(1) @Max(65535) @Schema(example = "6446") Integer port) {
    }

    @Operation(summary = "The neighbours: Gnutella connections after the 0.6 handshake (ultrapeers and leaves)")
    @GetMapping("/neighbours")
    public List<NeighbourView> neighbours() {
        return service.servent().connections().stream().map(NeighbourView::of).toList();
    }

    @Operation(summary = "Connect to a servent's Gnutella port and do the 0.6 handshake: 201 with the neighbour; 502 with its "
            + "status and X-Try-Ultrapeers when it refuses, or when it cannot be reached")
    @PostMapping("/neighbours")
    public ResponseEntity<NeighbourView> connect(@Valid @RequestBody NeighbourBody b) {
        Servent s = service.servent();
        Servent.ConnectResult r = s.connect(b.host(), b.port());
        if (r.connection() == null) {
            if (r.code() == 0 && r.reason().equals(Servent.SELF)) {
                throw ProblemException.badRequest("self", "that is this servent's own port");
            }
            throw ProblemException.of(HttpStatus.BAD_GATEWAY, r.code() == 0 ? "unreachable" : "refused",
                    b.host() + ":" + b.port() + ": " + (r.code() == 0 ? "" : r.code() + " ") + r.reason())
                    .with("handshakeStatus", r.code()).with("tryUltrapeers", r.tryUltrapeers());
        }
        NeighbourView v = NeighbourView.of(r.connection());
        return ResponseEntity.created(location("/neighbours/{id}", v.id())).body(v);
    }

    @Operation(summary = "Close a neighbour's connection (with a Bye if it understands one)")
    @DeleteMapping("/neighbours/{id}")
    public ResponseEntity<Void> disconnect(@PathVariable String id) {
        if (!service.servent().disconnect(id)) {
            throw ProblemException.notFound("no-such-neighbour", "no neighbour " + id);
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The host cache: servents heard of from Pongs (with what they share), Listen-IP and X-Try-Ultrapeers headers")
    @GetMapping("/hosts")
    public List<HostCache.Host> hosts() {
        return service.servent().hostCache().all();
    }

    // ---- shares ----

    public record ShareView(long index, String name, long size, String sha1, String urn) {
        static ShareView of(Library.SharedFile f) {
            return new ShareView(f.index(), f.name(), f.size(), f.sha1(), f.urn());
        }
    }

    @Operation(summary = "The files this servent shares, each under its stable index (GET /get/<index>/<name> on the Gnutella port)")
    @GetMapping("/shares")
    public List<ShareView> shares() {
        return service.servent().shares().library().all().stream().map(ShareView::of).toList();
    }

    @Operation(summary = "Share a file: the body is the file, ?name= its name; 201 with its index and SHA-1")
    @Parameter(name = "name", description = "the file's name, e.g. hello.txt", required = true, in = ParameterIn.QUERY,
            schema = @Schema(type = "string"))
    @PostMapping(value = "/shares", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<ShareView> share(HttpServletRequest request) throws IOException {
        SharedFiles files = service.servent().shares();
        // read from the query string itself: a form-encoded body (curl's default type) must stay the file
        String name = RawQuery.param(request, "name");
        if (name == null || name.isBlank()) {
            throw ProblemException.badRequest("missing-name", "the file needs a name: ?name=hello.txt");
        }
        if (!SharedFiles.validName(name.strip())) {
            throw ProblemException.badRequest("invalid-name", "a plain file name: no '/', '\\' or control characters, not '.' or '..', "
                    + "at most " + SharedFiles.MAX_NAME + " bytes");
        }
        try {
            SharedFiles.Entry e = files.add(name.strip(), request.getInputStream());
            return ResponseEntity.created(location("/shares/{index}", e.file().index())).body(ShareView.of(e.file()));
        }
        catch (FileAlreadyExistsException e) {
            throw ProblemException.conflict("share-exists", "a file named '" + name.strip() + "' is shared already");
        }
        catch (SharedFiles.TooLargeException e) {
            throw ProblemException.payloadTooLarge(e.getMessage());
        }
    }

    @Operation(summary = "Stop sharing a file and delete it from the shared directory")
    @DeleteMapping("/shares/{index}")
    public ResponseEntity<Void> unshare(@PathVariable long index) throws IOException {
        if (!service.servent().shares().remove(index)) {
            throw ProblemException.notFound("no-such-share", "no shared file " + index);
        }
        return ResponseEntity.noContent().build();
    }

    // ---- downloads ----

    public record DownloadBody(@NotBlank @Pattern(regexp = "[A-Za-z0-9.\\-]+:\\d{1,5}") @Schema(example = "127.0.0.1:6346") String peer,
                               @NotNull @Min(0) @Max(4294967295L) @Schema(example = "1") Long index,
                               @NotBlank @Size(max = 255) @Schema(example = "Beatles - Help.mp3") String name,
                               @Schema(description = "the file's SHA-1 in base32 (from the hit): checked when it arrives") String sha1,
                               @Schema(description = "the servent GUID (from the hit): a push is sent there when it cannot be reached")
                               String servent,
                               @Schema(description = "the hit said push: the servent is firewalled, ask it to connect to us") Boolean push) {
    }

    public record DownloadView(String id, String peer, long index, String name, String sha1, String state, long size, long bytes,
                               int attempts, boolean viaPush, String error, String file) {
        static DownloadView of(Transfers.Download d) {
            return new DownloadView(d.id(), d.peer(), d.index(), d.name(), d.sha1(), d.state().name().toLowerCase(java.util.Locale.ROOT),
                    d.size(), d.bytes(), d.attempts(), d.viaPush(), d.error(), d.file() == null ? null : d.file().toString());
        }
    }

    @Operation(summary = "Download a file from a servent over HTTP on its Gnutella port (GET /get/<index>/<name>, resumed with Range; "
            + "through a Push and its GIV when the servent is firewalled); 202, then GET /downloads/{id} for progress")
    @PostMapping("/downloads")
    public ResponseEntity<DownloadView> download(@Valid @RequestBody DownloadBody b) {
        Servent s = service.servent();
        int port = Integer.parseInt(b.peer().substring(b.peer().lastIndexOf(':') + 1));
        if (port < 1 || port > 65535) {
            throw ProblemException.badRequest("invalid-peer", "peer is host:port with a port 1..65535");
        }
        String sha1 = b.sha1() == null || b.sha1().isBlank() ? null : b.sha1().strip().toUpperCase(java.util.Locale.ROOT);
        if (sha1 != null && sha1.startsWith("URN:SHA1:")) {
            sha1 = sha1.substring(9);
        }
        if (sha1 != null && !Base32.isSha1(sha1)) {
            throw ProblemException.badRequest("invalid-sha1", "sha1 is 32 base32 characters (as in urn:sha1:...)");
        }
        Guid g = null;
        if (b.servent() != null && !b.servent().isBlank()) {
            try {
                g = Guid.parse(b.servent().strip());
            }
            catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("invalid-servent", "servent is a GUID: 32 hex digits");
            }
        }
        boolean push = Boolean.TRUE.equals(b.push());
        if (push && g == null) {
            throw ProblemException.badRequest("push-needs-servent", "a push is routed by the servent's GUID: give servent");
        }
        Transfers.Download d = s.transfers().download(b.peer().strip(), b.index(), b.name(), sha1, g, push);
        return ResponseEntity.accepted().location(location("/downloads/{id}", d.id())).body(DownloadView.of(d));
    }

    @Operation(summary = "The downloads (newest last)")
    @GetMapping("/downloads")
    public List<DownloadView> downloads() {
        return service.servent().transfers().downloads().stream().map(DownloadView::of).toList();
    }

    @Operation(summary = "A download's state and progress (queued, connecting, pushing, downloading, waiting_busy, complete, failed)")
    @GetMapping("/downloads/{id}")
    public DownloadView download(@PathVariable String id) {
        Transfers.Download d = service.servent().transfers().downloadById(id);
        if (d == null) {
            throw ProblemException.notFound("no-such-download", "no download " + id);
        }
        return DownloadView.of(d);
    }

    // ---- stats ----

    public record StatsView(String servent, boolean ultrapeer, String listenAddress, boolean firewalled, int ultrapeers, int leaves,
                            int sharedFiles, long sharedKilobytes, int hostCache, Map<String, Long> messagesIn,
                            Map<String, Long> messagesOut, long duplicates, long ttlExpired, long routedHits, long unroutable,
                            long malformed, long clamped, long qrpTables, long qrpErrors, Servent.TransportStats transport,
                            Transfers.Stats transfers) {
    }

    @Operation(summary = "Counters: messages in and out by type, duplicates dropped, TTL expiries, hits routed back, QRP tables "
            + "received from leaves, and the transport's and transfers' counters")
    @GetMapping("/stats")
    public StatsView stats() {
        Servent s = service.servent();
        GnutellaNode.Stats n = s.node().stats();
        List<Connection> cs = s.connections();
        int ups = (int) cs.stream().filter(Connection::ultrapeer).count();
        return new StatsView(s.node().servent().hex(), s.ultrapeer(), s.listenAddress(), s.config().firewalled(), ups, cs.size() - ups,
                s.shares().library().count(), s.shares().library().kilobytes(), s.hostCache().size(), new TreeMap<>(n.in()),
                new TreeMap<>(n.out()), n.duplicates(), n.ttlExpired(), n.routedHits(), n.unroutable(), n.malformed(), n.clamped(),
                n.qrpTables(), n.qrpErrors(), s.transportStats(), s.transfers().stats());
    }
}
