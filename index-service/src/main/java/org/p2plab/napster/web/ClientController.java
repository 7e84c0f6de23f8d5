package org.p2plab.napster.web;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import org.p2plab.napster.config.NapsterConfiguration;
import org.p2plab.napster.config.PeerService;
import org.p2plab.napster.peer.Download;
import org.p2plab.napster.peer.LocalShares;
import org.p2plab.napster.peer.SharingPeer;
import org.p2plab.napster.protocol.SearchRequest;
import org.p2plab.napster.protocol.SearchRequest.Range;
import org.p2plab.napster.protocol.SharedFile;
import org.p2plab.napster.protocol.Words;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The sharing peer as its user drives it: what it shares, a search whose hits are ranked by
 * pinging their hosts, and downloads straight from the sharing peer (with resume).
 */
@RestController
@ConditionalOnExpression(NapsterConfiguration.PEER_ROLE)
@Tag(name = "napster peer", description = "The sharing peer (role peer): its shares, searches ranked by ping (\"best host\"), "
        + "downloads from other peers over Napster's data-port protocol")
public class ClientController {

    private final PeerService service;

    public ClientController(PeerService service) {
        this.service = service;
    }

    public record StatusView(String nick, boolean connected, String index, int dataPort, boolean firewalled, String sharedDir,
                             String downloadDir, int shared, int uploading, long uploads, long uploadedBytes, long refused,
                             String lastError) {
    }

    public record LocalView(String path, String md5, long size, int bitrate, int frequency, int length) {
        static LocalView of(SharedFile f) {
            return new LocalView(f.path(), f.md5(), f.size(), f.bitrate(), f.frequency(), f.length());
        }
    }

    public record SearchBody(@NotBlank @jakarta.validation.constraints.Size(max = 200) @Schema(example = "beatles help") String query,
                             @Min(0) @Max(100) @Schema(example = "20") Integer max,
                             @PositiveOrZero Integer minBitrate, @PositiveOrZero Integer minLinkSpeed) {
    }

    public record RankedView(int rank, String nick, String path, String md5, long size, int bitrate, int frequency, int length,
                             String ip, int linkSpeed, Long rttMillis, Double estimatedSeconds) {
    }

    public record SearchView(String query, int count, String rule, List<RankedView> results) {
    }

    public record DownloadBody(@NotBlank @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z0-9_\\[\\]{}\\-@^!$]{1,50}",
            message = "a Napster nick") @Schema(example = "peer-8181") String nick,
                               @NotBlank @jakarta.validation.constraints.Size(max = SharedFile.MAX_PATH)
                               @Schema(example = "share\\hello.txt") String path) {
    }

    public record DownloadView(String id, String nick, String path, String state, long size, long bytes, long resumedAt,
                               boolean push, String peer, String file, String sha256, String error, Instant started,
                               Instant finished) {
        static DownloadView of(Download d) {
            return new DownloadView(d.id(), d.nick(), d.path(), d.state().name().toLowerCase(java.util.Locale.ROOT), d.size(), d.bytes(),
                    d.offset(), d.push(), d.peer(), d.file() == null ? null : d.file().toString(), d.sha256(), d.error(), d.started(),
                    d.finished());
        }
    }

    private static ProblemException unavailable(IOException e) {
        return ProblemException.serviceUnavailable("index-unavailable", e.getMessage(), 5);
    }

    @Operation(summary = "This peer: its nick, whether it is logged in to the index, its data port, what it shares and uploads")
    @GetMapping("/client")
    public StatusView status() {
        SharingPeer p = service.peer();
        SharingPeer.Config c = p.config();
        return new StatusView(p.nick(), p.connected(), c.host() + ":" + c.port(), p.announcedDataPort(), c.firewalled(),
                c.sharedDir().toString(), c.downloadDir().toString(), p.shares().all().size(), p.uploading(), p.uploads(),
                p.uploadedBytes(), p.refused(), p.lastError());
    }

    @Operation(summary = "The files this peer shares (its shared directory, as announced to the index)")
    @GetMapping("/client/shares")
    public List<LocalView> shares() {
        return service.peer().shares().all().stream().map(LocalShares.Local::shared).sorted(Comparator.comparing(SharedFile::path))
                .map(LocalView::of).toList();
    }

    @Operation(summary = "Put a file in the shared directory (the body is the file) and announce it to the index at once")
    @io.swagger.v3.oas.annotations.Parameter(name = "name", description = "the file's name, e.g. hello.txt", required = true,
            in = io.swagger.v3.oas.annotations.enums.ParameterIn.QUERY, schema = @Schema(type = "string"))
    @PostMapping(value = "/client/shares", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<LocalView> addShare(jakarta.servlet.http.HttpServletRequest request) throws IOException {
        SharingPeer p = service.peer();
        // the name is read from the query string itself: a form-encoded body (curl's default type) must stay the file
        String name = org.p2plab.support.http.RawQuery.param(request, "name");
        if (name == null) {
            throw ProblemException.badRequest("missing-name", "the file needs a name: ?name=hello.txt");
        }
        byte[] body = request.getInputStream().readAllBytes();
        String safe = name.strip();
        if (safe.isEmpty() || safe.length() > 200 || !safe.equals(Path.of(safe).getFileName().toString()) || safe.startsWith(".")
                || safe.chars().anyMatch(ch -> ch < 0x20 || ch == '"' || ch == '\\' || ch == '/')) {
            throw ProblemException.badRequest("invalid-name", "a plain file name (no directories, quotes or control characters)");
        }
        try {
            Path file = p.shares().dir().resolve(safe);
            Files.write(file, body);
            p.rescanNow();
            return p.shares().all().stream().filter(l -> l.file().equals(file)).findFirst()
                    .map(l -> ResponseEntity.status(HttpStatus.CREATED).body(LocalView.of(l.shared())))
                    .orElseThrow(() -> ProblemException.badRequest("invalid-name", "this name cannot be shared over Napster"));
        }
        catch (IOException e) {
            throw unavailable(e);
        }
    }

    @Operation(summary = "Search the index (200) and rank the hits: each host is pinged through the index (751/752), and the hits "
            + "are ordered by estimated transfer time = round trip + size at the host's link speed; hosts that do not answer "
            + "come last")
    @PostMapping("/client/search")
    public SearchView search(@Valid @RequestBody SearchBody b) {
        return rankedSearch(b);
    }

    @Operation(summary = "The same search as a GET (for a browser or a quick curl): q the words, max at most 100")
    @GetMapping("/client/search")
    public SearchView searchGet(@org.springframework.web.bind.annotation.RequestParam @Schema(example = "beatles help") String q,
                                @org.springframework.web.bind.annotation.RequestParam(required = false) Integer max) {
        if (max != null && (max < 0 || max > 100)) {
            throw ProblemException.badRequest("invalid", "max is 0..100");
        }
        if (q.length() > 200) {
            throw ProblemException.badRequest("invalid", "q is at most 200 characters");
        }
        return rankedSearch(new SearchBody(q, max, null, null));
    }

    private SearchView rankedSearch(SearchBody b) {
        if (Words.ofQuery(b.query()).isEmpty()) {
            throw ProblemException.badRequest("no-words", "the query has no word of two or more letters");
        }
        SharingPeer p = service.peer();
        long t0 = System.nanoTime();
        List<SharingPeer.Ranked> ranked;
        try {
            ranked = p.search(new SearchRequest(b.query(), b.max() == null ? 100 : b.max(),
                    b.minBitrate() == null ? null : new Range(b.minBitrate(), Long.MAX_VALUE), null,
                    b.minLinkSpeed() == null ? null : new Range(b.minLinkSpeed(), Long.MAX_VALUE), null, null));
        }
        catch (IOException e) {
            service.record("peer-search", P2pMetrics.FAILED, Duration.ofNanos(System.nanoTime() - t0));
            throw unavailable(e);
        }
        service.record("peer-search", ranked.isEmpty() ? P2pMetrics.NOT_FOUND : P2pMetrics.FOUND, Duration.ofNanos(System.nanoTime() - t0));
        List<RankedView> views = new java.util.ArrayList<>();
        for (SharingPeer.Ranked r : ranked) {
            var h = r.hit();
            views.add(new RankedView(views.size() + 1, h.nick(), h.path(), h.md5(), h.size(), h.bitrate(), h.frequency(), h.length(),
                    h.ip(), h.linkSpeed(), r.rtt().map(Duration::toMillis).orElse(null),
                    Double.isInfinite(r.estimatedSeconds()) ? null : r.estimatedSeconds()));
        }
        return new SearchView(b.query(), views.size(), "round trip + size / link speed; no pong: last", views);
    }

    @Operation(summary = "Download a file from a peer: brokered by the index (203 → 607/608 → 204, or a push 500 → 501 from a "
            + "firewalled sharer), then fetched from its data port; a partial file from an earlier try is resumed")
    @PostMapping("/client/downloads")
    public ResponseEntity<DownloadView> download(@Valid @RequestBody DownloadBody b) {
        Download d;
        try {
            d = service.peer().startDownload(b.nick(), b.path());
        }
        catch (FileNotFoundException e) {
            throw ProblemException.notFound("not-shared", e.getMessage());
        }
        catch (IOException e) {
            throw unavailable(e);
        }
        return ResponseEntity.accepted()
                .location(ServletUriComponentsBuilder.fromCurrentContextPath().path("/client/downloads/{id}").build(d.id()))
                .body(DownloadView.of(d));
    }

    @Operation(summary = "This peer's downloads")
    @GetMapping("/client/downloads")
    public List<DownloadView> downloads() {
        return service.peer().downloads().stream().sorted(Comparator.comparing(Download::started)).map(DownloadView::of).toList();
    }

    @Operation(summary = "One download: state (requested, waiting_for_push, transferring, done, failed), bytes, the file's SHA-256")
    @GetMapping("/client/downloads/{id}")
    public DownloadView downloadOf(@PathVariable String id) {
        return DownloadView.of(find(id));
    }

    @Operation(summary = "A finished download's bytes (409 until it is done)")
    @GetMapping("/client/downloads/{id}/content")
    public ResponseEntity<Resource> content(@PathVariable String id) {
        Download d = find(id);
        if (d.state() != Download.State.DONE) {
            throw ProblemException.conflict("not-done", "download " + id + " is " + d.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).body(new FileSystemResource(d.file()));
    }

    private Download find(String id) {
        return service.peer().download(id).orElseThrow(() -> ProblemException.notFound("unknown-download", "no download " + id));
    }
}
