package org.p2plab.publius.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
import jakarta.validation.Valid;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.publius.config.PubliusService;
import org.p2plab.publius.protocol.PubliusClient;
import org.p2plab.publius.protocol.PubliusException;
import org.p2plab.publius.protocol.PubliusServerPeer;
import org.p2plab.publius.protocol.PubliusUrl;
import org.p2plab.publius.protocol.Site;
import org.p2plab.publius.web.PubliusViews.DeleteRequest;
import org.p2plab.publius.web.PubliusViews.DeletedView;
import org.p2plab.publius.web.PubliusViews.InspectionView;
import org.p2plab.publius.web.PubliusViews.OutcomeView;
import org.p2plab.publius.web.PubliusViews.PieceView;
import org.p2plab.publius.web.PubliusViews.PlacementView;
import org.p2plab.publius.web.PubliusViews.PublishedView;
import org.p2plab.publius.web.PubliusViews.ServerView;
import org.p2plab.publius.web.PubliusViews.ServersView;
import org.p2plab.publius.web.PubliusViews.SiteView;
import org.p2plab.publius.web.PubliusViews.UpdatedView;
import org.p2plab.support.dht.DhtRequests;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.p2plab.support.problem.ProblemKinds;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The Publius client as people use it: publish a document (or a directory), retrieve it by its
 * URL, delete or update it with its password, see the server list. The protocol runs here, in the
 * client; the servers only store what they are given.
 */
@RestController
@Tag(name = "user API", description = "Publish, retrieve, delete and update Publius documents")
public class PubliusController {

    static final String SYSTEM = "publius";
    static final String PASSWORD_HEADER = "Publius-Password";
    static final String SERVERS_HEADER = "X-Publius-Servers";
    static final String RESOLVED_URL_HEADER = "X-Publius-Url";
    static final String FOLLOWED_HEADER = "X-Publius-Updates-Followed";

    private final PubliusService publius;
    private final P2pMetrics metrics;

    public PubliusController(PubliusService publius, P2pMetrics metrics) {
        this.publius = publius;
        this.metrics = metrics;
        metrics.prepare(SYSTEM, "publish", P2pMetrics.FOUND, P2pMetrics.FAILED);
        metrics.prepare(SYSTEM, "retrieve", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        metrics.prepare(SYSTEM, "update", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
        metrics.prepare(SYSTEM, "delete", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND, P2pMetrics.FAILED);
    }

    // ------------------------------------------------------------------ publish

    @Operation(summary = "Publish a document (raw body)", description = "The body is the document, its Content-Type becomes "
            + "the MIME type in the URL. n shares over the m servers, any k of which rebuild the key; d distinct servers "
            + "at least. The password (Publius-Password header, or generated) deletes and updates the document.")
    @ApiResponse(responseCode = "201", description = "published; Location retrieves it")
    @PostMapping(path = "/publish", consumes = MediaType.ALL_VALUE)
    public ResponseEntity<PublishedView> publish(
            @Parameter(description = "shares; default min(p2plab.publius.default-n, m)") @RequestParam(required = false) Integer n,
            @Parameter(description = "shares needed; default min(p2plab.publius.default-k, n)") @RequestParam(required = false) Integer k,
            @Parameter(description = "distinct servers required, k <= d <= min(n, m); default k") @RequestParam(required = false) Integer d,
            @Parameter(description = "set the URL's no_update flag: never updatable, update files ignored")
            @RequestParam(defaultValue = "false") boolean noUpdate,
            @RequestHeader(value = PASSWORD_HEADER, required = false) String password,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            HttpServletRequest request) throws IOException {
        PubliusClient client = publius.client();
        if (contentType != null && contentType.toLowerCase().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE)) {
            throw ProblemException.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemKinds.UNSUPPORTED_MEDIA_TYPE,
                    "a form is not a document: send the document with its own Content-Type "
                            + "(curl --data-binary @page.html -H 'Content-Type: text/html'), or as a multipart 'file'");
        }
        byte[] content = DhtRequests.readValue(request, client.params().maxDocumentBytes(), "p2plab.publius.max-document-size");
        return published(client, content, contentType == null ? MediaType.APPLICATION_OCTET_STREAM_VALUE : contentType.strip(),
                n, k, d, noUpdate, password);
    }

    @Operation(summary = "Publish a document (multipart file)", description = "As the raw form; the part's Content-Type "
            + "(or its file name's extension) gives the MIME type.")
    @ApiResponse(responseCode = "201", description = "published; Location retrieves it")
    @PostMapping(path = "/publish", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<PublishedView> publishFile(@RequestPart("file") MultipartFile file,
            @RequestParam(required = false) Integer n, @RequestParam(required = false) Integer k,
            @RequestParam(required = false) Integer d, @RequestParam(defaultValue = "false") boolean noUpdate,
            @Parameter(description = "the password; default: the Publius-Password header, or generated")
            @RequestParam(value = "password", required = false) String password,
            @RequestHeader(value = PASSWORD_HEADER, required = false) String passwordHeader) throws IOException {
        PubliusClient client = publius.client();
        return published(client, content(file, client), mimeType(file), n, k, d, noUpdate, password != null ? password : passwordHeader);
    }

    private ResponseEntity<PublishedView> published(PubliusClient client, byte[] content, String mimeType,
                                                    Integer n, Integer k, Integer d, boolean noUpdate, String password) {
        int nn = n != null ? n : defaultN(client);
        int kk = k != null ? k : defaultK(nn);
        int dd = d != null ? d : kk;
        PubliusClient.Published p = timed("publish", r -> P2pMetrics.FOUND, r -> (int) r.placements().size(),
                () -> client.publish(content, mimeType, nn, kk, dd, noUpdate, password));
        String retrieve = retrieveLink(p.url().toString());
        return ResponseEntity.created(URI.create(retrieve)).body(view(client, p, retrieve));
    }

    private static PublishedView view(PubliusClient client, PubliusClient.Published p, String retrieve) {
        return new PublishedView(p.url().toString(), p.password(), p.url().n(), p.url().k(), client.m(), p.storedCount(),
                p.keyAttempts(), retrieve, p.placements().stream().map(PlacementView::of).toList());
    }

    // ------------------------------------------------------------------ retrieve

    @Operation(summary = "Retrieve a document by its Publius URL", description = "Asks the n locations, follows update "
            + "files that k servers agree on (never for a no_update URL), rebuilds the key from k shares, decrypts, and "
            + "checks every share used against its name. The body is the document with its MIME type; HTML links to "
            + "publius:// URLs are turned into links to this endpoint (the paper's browser proxy). Headers: "
            + SERVERS_HEADER + " (servers whose shares were used), " + RESOLVED_URL_HEADER + ", " + FOLLOWED_HEADER
            + ", X-P2P-Hops (server requests).")
    @ApiResponse(responseCode = "200", description = "the document", content = @Content(mediaType = "*/*",
            schema = @Schema(type = "string", format = "binary")))
    @GetMapping("/retrieve")
    public ResponseEntity<byte[]> retrieve(@Parameter(description = "the Publius URL, URL-encoded") @RequestParam String url) {
        PubliusClient.Retrieval r = retrieval(url);
        MediaType type = DhtRequests.mediaType(r.mimeType());
        byte[] body = r.content();
        if (type.isCompatibleWith(MediaType.TEXT_HTML) || type.isCompatibleWith(MediaType.APPLICATION_XHTML_XML)) {
            body = Site.proxyLinks(new String(body, StandardCharsets.UTF_8), "retrieve").getBytes(StandardCharsets.UTF_8);
        }
        return ResponseEntity.ok().contentType(type)
                .header(SERVERS_HEADER, String.join(",", r.serversUsed()))
                .header(RESOLVED_URL_HEADER, r.url().toString())
                .header(FOLLOWED_HEADER, Integer.toString(r.followed().size()))
                .header(DhtRequests.HOPS, Integer.toString(r.requests()))
                // anonymous content served from this origin: no scripts, no sniffing
                .header("Content-Security-Policy", "sandbox")
                .header("X-Content-Type-Options", "nosniff")
                .body(body);
    }

    @Operation(summary = "How a document is retrieved: what each server answered", description = "Runs a retrieval and "
            + "reports each location: used, verified, bad-share, corrupt-file, missing, unreachable, update, ignored-update. "
            + "A failed retrieval answers a problem with the same 'pieces' list.")
    @GetMapping("/inspect")
    public InspectionView inspect(@Parameter(description = "the Publius URL, URL-encoded") @RequestParam String url) {
        PubliusClient.Retrieval r = retrieval(url);
        return new InspectionView(url, r.url().toString(), r.followed().stream().map(PubliusUrl::toString).toList(),
                r.mimeType(), r.content().length, r.requests(), PieceView.all(r.pieces()));
    }

    private PubliusClient.Retrieval retrieval(String url) {
        PubliusClient client = publius.client();
        PubliusUrl u = parse(url);
        return timed("retrieve", r -> P2pMetrics.FOUND, PubliusClient.Retrieval::requests, () -> client.retrieve(u));
    }

    // ------------------------------------------------------------------ delete, update

    @Operation(summary = "Delete a document", description = "Sends H(server_domain . PW) and name_i to each of the n "
            + "servers; each checks its own hash. 403 if the password matches nowhere (nothing is deleted).")
    @PostMapping("/delete")
    public DeletedView delete(@Valid @RequestBody DeleteRequest body) {
        PubliusClient client = publius.client();
        PubliusUrl u = parse(body.url());
        PubliusClient.Deleted d = timed("delete", r -> P2pMetrics.FOUND, r -> r.outcomes().size(),
                () -> client.delete(u, body.password()));
        return new DeletedView(u.toString(), d.done(), OutcomeView.all(d.outcomes()));
    }

    @Operation(summary = "Update a document", description = "Publishes the new content (new URL, new password), then each "
            + "old location replaces its file and share with an update file holding the new URL: the old URL now "
            + "retrieves the new content. 409 for a no_update URL; 403 if the password matches nowhere.")
    @ApiResponse(responseCode = "201", description = "updated; Location retrieves the new document")
    @PostMapping(path = "/update", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<UpdatedView> update(@RequestParam String url, @RequestParam String password,
            @Parameter(description = "the new document's password; default: generated") @RequestParam(required = false) String newPassword,
            @RequestPart("file") MultipartFile file) throws IOException {
        PubliusClient client = publius.client();
        PubliusUrl u = parse(url);
        byte[] content = content(file, client);
        PubliusClient.Updated up = timed("update", r -> P2pMetrics.FOUND, r -> r.outcomes().size(),
                () -> client.update(u, password, newPassword, content, mimeType(file)));
        String newUrl = up.published().url().toString();
        return ResponseEntity.created(URI.create(retrieveLink(newUrl))).body(new UpdatedView(u.toString(), newUrl,
                up.published().password(), up.done(), OutcomeView.all(up.outcomes())));
    }

    // ------------------------------------------------------------------ directories, servers

    @Operation(summary = "Publish a directory whose files link to each other", description = "Each part 'files' is one "
            + "file, its file name the relative path (curl -F 'files=@docs/a.html;filename=docs/a.html'). Every file is "
            + "published, then relative links (href, src, CSS url()) are rewritten to the other files' Publius URLs and "
            + "the rewritten files published through update, so links between files work in both directions.")
    @ApiResponse(responseCode = "201", description = "published; Location retrieves index.html if there is one")
    @PostMapping(path = "/publish-directory", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<SiteView> publishDirectory(@RequestPart("files") List<MultipartFile> files,
            @RequestParam(required = false) Integer n, @RequestParam(required = false) Integer k,
            @RequestParam(value = "password", required = false) String password) throws IOException {
        PubliusClient client = publius.client();
        List<Site.File> site = new ArrayList<>();
        long total = 0;
        for (MultipartFile f : files) {
            if (f.getOriginalFilename() == null || f.getOriginalFilename().isBlank()) {
                throw ProblemException.badRequest(ProblemKinds.MISSING_PARAMETER, "every part 'files' needs a file name: its relative path");
            }
            total += f.getSize();
            site.add(new Site.File(f.getOriginalFilename(), content(f, client), mimeType(f)));
        }
        if (total == 0) {
            throw ProblemException.badRequest("empty-document", "the directory is empty");
        }
        int nn = n != null ? n : defaultN(client);
        int kk = k != null ? k : defaultK(nn);
        Site.Published published = timed("publish", r -> P2pMetrics.FOUND, r -> r.files().size(),
                () -> Site.publish(client, site, nn, kk, password));
        SiteView view = SiteView.of(published, this::retrieveLink);
        return view.index() == null ? ResponseEntity.status(HttpStatus.CREATED).body(view)
                : ResponseEntity.created(URI.create(view.index())).body(view);
    }

    @Operation(summary = "The static server list, and which servers answer", description = "Location i is the i-th URL; "
            + "every client of one Publius system lists the same servers in the same order.")
    @GetMapping("/servers")
    public ServersView servers() {
        PubliusClient client = publius.client();
        PubliusServerPeer peer = publius.peer();
        List<CompletableFuture<ServerView>> calls = new ArrayList<>();
        for (int i = 1; i <= client.m(); i++) {
            int location = i;
            String url = client.server(location);
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    PubliusServerPeer.ServerStatus s = peer.status(url);
                    return new ServerView(location, url, true, s.names(), s.storedBytes(), s.maxStoredBytes(), null);
                }
                catch (PeerUnavailableException | PubliusServerPeer.RefusedException e) {
                    return new ServerView(location, url, false, null, null, null, e.getMessage());
                }
            }, publius.executor()));
        }
        List<ServerView> views = calls.stream().map(CompletableFuture::join).toList();
        return new ServersView(client.m(), views.stream().filter(ServerView::reachable).count(), views);
    }

    // ------------------------------------------------------------------ plumbing

    /** n when a request does not say: min(p2plab.publius.default-n, m). */
    private int defaultN(PubliusClient client) {
        return Math.min(publius.properties().defaultN(), client.m());
    }

    /** k when a request does not say: min(p2plab.publius.default-k, n). */
    private int defaultK(int n) {
        return Math.min(publius.properties().defaultK(), n);
    }

    private String retrieveLink(String publiusUrl) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/retrieve").queryParam("url", "{url}")
                .encode().buildAndExpand(publiusUrl).toUriString();
    }

    private static PubliusUrl parse(String url) {
        try {
            return PubliusUrl.parse(url == null ? null : url.strip());
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("malformed-url", e.getMessage());
        }
    }

    private static byte[] content(MultipartFile file, PubliusClient client) throws IOException {
        if (file.getSize() > client.params().maxDocumentBytes()) {
            throw problem(new PubliusException(PubliusException.Reason.TOO_LARGE, "the document has " + file.getSize()
                    + " bytes; at most " + client.params().maxDocumentBytes() + " are published (p2plab.publius.max-document-size)"));
        }
        return file.getBytes();
    }

    private static String mimeType(MultipartFile file) {
        String type = file.getContentType();
        if (type == null || type.isBlank() || MediaType.APPLICATION_OCTET_STREAM_VALUE.equals(type)) {
            return MediaTypeFactory.getMediaType(file.getOriginalFilename() == null ? "" : file.getOriginalFilename())
                    .map(MediaType::toString).orElse(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        }
        return type.strip();
    }

    /** Runs one operation, records it in p2p.lookup, and turns a protocol failure into its problem. */
    private <T> T timed(String operation, Function<T, String> outcome,
                        ToIntFunction<T> hops, Supplier<T> call) {
        return DhtRequests.timed(metrics, SYSTEM, operation, outcome, hops, call,
                e -> e instanceof PubliusException p ? problem(p) : e);
    }

    static ProblemException problem(PubliusException e) {
        ProblemException p = switch (e.reason()) {
            case INVALID -> ProblemException.badRequest("invalid-request", e.getMessage());
            case TOO_LARGE -> ProblemException.of(HttpStatus.CONTENT_TOO_LARGE, "document-too-large", e.getMessage());
            case NOT_FOUND -> ProblemException.notFound("no-such-document", e.getMessage());
            case UNAVAILABLE -> ProblemException.serviceUnavailable("not-enough-servers", e.getMessage(), 2);
            case TAMPERED -> ProblemException.of(HttpStatus.BAD_GATEWAY, "tampered", e.getMessage());
            case WRONG_PASSWORD -> ProblemException.of(HttpStatus.FORBIDDEN, "wrong-password", e.getMessage());
            case NO_UPDATE -> ProblemException.conflict("no-update", e.getMessage());
            case UPDATE_LOOP -> ProblemException.of(HttpStatus.BAD_GATEWAY, "update-loop", e.getMessage());
            case STORAGE_FULL -> ProblemException.of(HttpStatus.INSUFFICIENT_STORAGE, "storage-full", e.getMessage());
        };
        if (!e.pieces().isEmpty()) {
            p.with("pieces", PieceView.all(e.pieces()));
        }
        return p;
    }
}
