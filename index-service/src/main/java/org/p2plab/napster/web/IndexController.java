package org.p2plab.napster.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.p2plab.napster.config.IndexService;
import org.p2plab.napster.config.NapsterConfiguration;
import org.p2plab.napster.protocol.DownloadTicket;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.LinkSpeed;
import org.p2plab.napster.protocol.NapsterException;
import org.p2plab.napster.protocol.NapsterIp;
import org.p2plab.napster.protocol.SearchRequest;
import org.p2plab.napster.protocol.SearchRequest.Range;
import org.p2plab.napster.protocol.Session;
import org.p2plab.napster.protocol.SharedFile;
import org.p2plab.napster.web.IndexViews.AcceptRequest;
import org.p2plab.napster.web.IndexViews.DownloadRequest;
import org.p2plab.napster.web.IndexViews.DownloadView;
import org.p2plab.napster.web.IndexViews.FileView;
import org.p2plab.napster.web.IndexViews.HitView;
import org.p2plab.napster.web.IndexViews.HotlistView;
import org.p2plab.napster.web.IndexViews.LoginRequest;
import org.p2plab.napster.web.IndexViews.RegisterRequest;
import org.p2plab.napster.web.IndexViews.SearchView;
import org.p2plab.napster.web.IndexViews.SessionView;
import org.p2plab.napster.web.IndexViews.ShareRequest;
import org.p2plab.napster.web.IndexViews.SharesRequest;
import org.p2plab.napster.web.IndexViews.SharesView;
import org.p2plab.napster.web.IndexViews.StatsView;
import org.p2plab.napster.web.IndexViews.UserView;
import org.p2plab.napster.web.IndexViews.WhoisView;
import org.p2plab.support.problem.ProblemException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The index's REST door: the same {@link IndexServer} as the Napster TCP port, so a file shared
 * over one is found over the other. Calls that act as a user take the session's token as
 * {@code Authorization: Bearer <token>}; searching, whois, browse and the statistics are open.
 */
@RestController
@ConditionalOnExpression(NapsterConfiguration.INDEX_ROLE)
@Tag(name = "napster index", description = "Register, log in, share, search, whois, browse, hotlist, and broker downloads: "
        + "the central index of Napster (the same index as the Napster protocol on TCP 8888)")
public class IndexController {

    /** The longest {@code GET /sessions/{token}/events} waits for an event. */
    static final Duration MAX_EVENT_WAIT = Duration.ofSeconds(30);

    private final IndexService service;
    private final IndexServer server;

    public IndexController(IndexService service) {
        this.service = service;
        this.server = service.server();
    }

    /** Runs {@code call}, turning the index's refusals into problems. */
    static <T> T napster(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (NapsterException e) {
            throw problem(e);
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid", e.getMessage());
        }
    }

    static ProblemException problem(NapsterException e) {
        String kind = e.reason().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return switch (e.reason()) {
            case INVALID_NICK, INVALID, NO_WORDS, TOO_MANY_SHARES -> ProblemException.badRequest(kind, e.getMessage());
            case NICK_TAKEN, FIREWALLED, NOT_FIREWALLED -> ProblemException.conflict(kind, e.getMessage());
            case NO_SUCH_USER, OFFLINE, NOT_SHARED -> ProblemException.notFound(kind, e.getMessage());
            case BAD_PASSWORD, SESSION_ENDED -> ProblemException.of(HttpStatus.UNAUTHORIZED, kind, e.getMessage());
            case QUEUE_FULL -> ProblemException.serviceUnavailable(kind, e.getMessage(), 10);
            case TIMEOUT -> ProblemException.of(HttpStatus.GATEWAY_TIMEOUT, kind, e.getMessage());
        };
    }

    private Session session(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ProblemException.of(HttpStatus.UNAUTHORIZED, "session-required",
                    "log in first (POST /sessions) and send Authorization: Bearer <token>");
        }
        return napster(() -> server.session(authorization.substring(7).strip()));
    }

    private Session owner(String authorization, String nick) {
        Session s = session(authorization);
        if (!IndexServer.key(s.nick()).equals(IndexServer.key(nick))) {
            throw ProblemException.of(HttpStatus.FORBIDDEN, "not-your-session", "this session is " + s.nick() + "'s, not " + nick + "'s");
        }
        return s;
    }

    // ---- users and sessions ----

    @Operation(summary = "Register a nick (409 nick-taken; 400 invalid-nick). The password is kept as a bcrypt hash")
    @PostMapping("/users")
    public ResponseEntity<UserView> register(@Valid @RequestBody RegisterRequest r) {
        var u = napster(() -> server.register(r.nick(), r.password(), r.email(), r.linkSpeed() == null ? 0 : r.linkSpeed()));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath().path("/users/{nick}").build(u.nick()))
                .body(new UserView(u.nick(), u.email(), u.linkSpeed(), LinkSpeed.of(u.linkSpeed()).label(), u.level(), u.registered()));
    }

    @Operation(summary = "Log in (Napster's 2; newUser: 6): a session token. An unknown nick is registered (auto-register); "
            + "a second login with the same nick ends the first session")
    @PostMapping("/sessions")
    public ResponseEntity<SessionView> login(@Valid @RequestBody LoginRequest r, HttpServletRequest request) {
        // the connection's own address: not X-Forwarded-For (anyone can write that, and a push would then be aimed at any host)
        jakarta.servlet.ServletRequest raw = request;
        while (raw instanceof jakarta.servlet.ServletRequestWrapper w) {
            raw = w.getRequest();
        }
        String ip = ipv4(raw.getRemoteAddr());
        Session s = napster(() -> server.login(new IndexServer.Login(r.nick(), r.password(), r.dataPort() == null ? 0 : r.dataPort(),
                r.clientInfo() == null ? "rest" : r.clientInfo().replace('"', '\''), r.linkSpeed() == null ? -1 : r.linkSpeed(),
                r.email(), ip, Session.Transport.REST, Boolean.TRUE.equals(r.newUser())), new RestSessionLink()));
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentContextPath().path("/sessions/{token}").build(s.token()))
                .body(view(s));
    }

    private SessionView view(Session s) {
        return new SessionView(s.token(), s.nick(), s.email(), s.ip(), s.dataPort(), s.linkSpeed(), s.since(),
                server.params().restSessionTtl().toSeconds());
    }

    private static String ipv4(String remote) {
        if (remote == null) {
            return "0.0.0.0";
        }
        if (remote.equals("0:0:0:0:0:0:0:1") || remote.equals("::1")) {
            return "127.0.0.1";
        }
        if (remote.startsWith("::ffff:")) {
            remote = remote.substring(7);
        }
        try {
            NapsterIp.encode(remote);
            return remote;
        }
        catch (IllegalArgumentException e) {
            return "0.0.0.0";
        }
    }

    @Operation(summary = "A session (its token in the path): who, address, data port")
    @GetMapping("/sessions/{token}")
    public SessionView getSession(@PathVariable String token) {
        return view(napster(() -> server.session(token)));
    }

    @Operation(summary = "Log out: the session's shares leave the index at once")
    @DeleteMapping("/sessions/{token}")
    public ResponseEntity<Void> logout(@PathVariable String token) {
        Session s = napster(() -> server.session(token));
        server.logout(s);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The session's events (what a TCP client gets unasked: upload requests, hotlist sign-ons and -offs, "
            + "pings, pushes), waiting up to wait seconds (max 30) for the first")
    @GetMapping("/sessions/{token}/events")
    public List<RestSessionLink.Event> events(@PathVariable String token,
                                              @RequestParam(defaultValue = "0") @Parameter(description = "seconds") int wait)
            throws InterruptedException {
        if (wait < 0 || wait > MAX_EVENT_WAIT.toSeconds()) {
            throw ProblemException.badRequest("invalid", "wait is 0.." + MAX_EVENT_WAIT.toSeconds() + " seconds");
        }
        Session s = napster(() -> server.session(token));
        return ((RestSessionLink) s.link()).drain(Duration.ofSeconds(wait));
    }

    @Operation(summary = "Accept an upload request (Napster's 608): the downloader learns your address and data port")
    @PostMapping("/sessions/{token}/accepts")
    public ResponseEntity<Void> accept(@PathVariable String token, @Valid @RequestBody AcceptRequest r) {
        Session s = napster(() -> server.session(token));
        napster(() -> {
            server.acceptUpload(s, r.nick(), r.path());
            return null;
        });
        return ResponseEntity.noContent().build();
    }

    // ---- shares ----

    @Operation(summary = "Replace your whole share list (needs your session)")
    @PutMapping("/users/{nick}/shares")
    public SharesView replaceShares(@PathVariable String nick, @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
    String authorization, @Valid @RequestBody SharesRequest r) {
        Session s = owner(authorization, nick);
        List<SharedFile> files = napster(() -> r.files().stream().map(ShareRequest::toFile).toList());
        napster(() -> {
            server.replaceShares(s, files);
            return null;
        });
        return browse(s.nick());
    }

    @Operation(summary = "Share one more file (Napster's 100; needs your session)")
    @PostMapping("/users/{nick}/shares")
    public ResponseEntity<FileView> share(@PathVariable String nick, @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
    String authorization, @Valid @RequestBody ShareRequest r) {
        Session s = owner(authorization, nick);
        SharedFile f = napster(r::toFile);
        napster(() -> {
            server.share(s, List.of(f));
            return null;
        });
        return ResponseEntity.status(HttpStatus.CREATED).body(FileView.of(f));
    }

    @Operation(summary = "Stop sharing a file (Napster's 102; the path as shared; needs your session)")
    @DeleteMapping("/users/{nick}/shares")
    public ResponseEntity<Void> unshare(@PathVariable String nick, @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
    String authorization, @RequestParam String path) {
        Session s = owner(authorization, nick);
        if (!server.unshare(s, path)) {
            throw ProblemException.notFound("not-shared", nick + " is not sharing " + path);
        }
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Browse a user's shares (Napster's 211; 404 user-offline)")
    @GetMapping("/users/{nick}/shares")
    public SharesView browse(@PathVariable String nick) {
        List<SharedFile> files = napster(() -> server.browse(nick));
        String shown = server.online(nick).map(Session::nick).orElse(nick);
        return new SharesView(shown, files.size(), files.stream().map(FileView::of).toList());
    }

    // ---- search, whois, stats ----

    @Operation(summary = "Search every online user's shares (Napster's 200): every word of q (two letters or more) must be in "
            + "the file's name or its directory; filters on bitrate, frequency, size, duration and the sharer's link speed. "
            + "With your session, your own files are left out")
    @GetMapping("/search")
    public SearchView search(@RequestParam @Parameter(example = "beatles help") String q,
                             @RequestParam(required = false) @Parameter(description = "at most (the server caps it at its max-results)")
                             Integer max,
                             @RequestParam(required = false) Long minBitrate, @RequestParam(required = false) Long maxBitrate,
                             @RequestParam(required = false) Long minFrequency, @RequestParam(required = false) Long maxFrequency,
                             @RequestParam(required = false) Long minLinkSpeed, @RequestParam(required = false) Long minSize,
                             @RequestParam(required = false) Long maxSize, @RequestParam(required = false) Long minLength,
                             @RequestParam(required = false) Long maxLength,
                             @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        if (max != null && max < 0) {
            throw ProblemException.badRequest("invalid", "max is >= 0 (0: the server's cap)");
        }
        for (Long v : new Long[] {minBitrate, maxBitrate, minFrequency, maxFrequency, minLinkSpeed, minSize, maxSize, minLength, maxLength}) {
            if (v != null && v < 0) {
                throw ProblemException.badRequest("invalid", "the filters are >= 0");
            }
        }
        Session searcher = authorization == null ? null : session(authorization);
        SearchRequest r = new SearchRequest(q, max == null ? server.params().maxResults() : max, range(minBitrate, maxBitrate),
                range(minFrequency, maxFrequency), range(minLinkSpeed, null), range(minSize, maxSize),
                range(minLength, maxLength));
        List<IndexServer.Hit> hits = napster(() -> server.search(searcher, r));
        return new SearchView(q, List.copyOf(r.words()), hits.size(), hits.stream().map(h -> new HitView(h.nick(), h.file().path(),
                h.file().md5(), h.file().size(), h.file().bitrate(), h.file().frequency(), h.file().length(), h.ip(),
                NapsterIp.encode(h.ip()), h.linkSpeed(), h.dataPort(), h.dataPort() == 0)).toList());
    }

    /** A filter from an optional min and max; null if neither. */
    private static Range range(Long min, Long max) {
        if (min == null && max == null) {
            return null;
        }
        long lo = min == null ? 0 : min;
        long hi = max == null ? Long.MAX_VALUE : max;
        if (lo > hi) {
            throw ProblemException.badRequest("invalid", "a filter's min is above its max");
        }
        return new Range(lo, hi);
    }

    @Operation(summary = "Whois (Napster's 603): online, what the user shares and transfers; offline, when last seen "
            + "(404 no-such-user)")
    @GetMapping("/users/{nick}")
    public WhoisView whois(@PathVariable String nick) {
        return WhoisView.of(napster(() -> server.whois(nick)));
    }

    @Operation(summary = "Your hotlist: the nicks you watch, and whether each is online (needs your session)")
    @GetMapping("/users/{nick}/hotlist")
    public HotlistView hotlist(@PathVariable String nick, @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
    String authorization) {
        Session s = owner(authorization, nick);
        return new HotlistView(s.nick(), server.hotlist(s));
    }

    @Operation(summary = "Watch a nick (Napster's 207): you get user-signon/-signoff events")
    @PutMapping("/users/{nick}/hotlist/{other}")
    public HotlistView watch(@PathVariable String nick, @PathVariable String other,
                             @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Session s = owner(authorization, nick);
        napster(() -> server.hotlistAdd(s, other));
        return new HotlistView(s.nick(), server.hotlist(s));
    }

    @Operation(summary = "Stop watching a nick (Napster's 303)")
    @DeleteMapping("/users/{nick}/hotlist/{other}")
    public HotlistView unwatch(@PathVariable String nick, @PathVariable String other,
                               @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Session s = owner(authorization, nick);
        server.hotlistRemove(s, other);
        return new HotlistView(s.nick(), server.hotlist(s));
    }

    @Operation(summary = "Ping a user through the server (Napster's 751): its pong arrives as an event of your session")
    @PostMapping("/users/{nick}/ping")
    public ResponseEntity<Void> ping(@PathVariable String nick, @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
    String authorization) {
        Session s = session(authorization);
        napster(() -> {
            server.ping(s, nick);
            return null;
        });
        return ResponseEntity.accepted().build();
    }

    @Operation(summary = "Broker a download (Napster's 203 → 607 → 608 → 204): waits for the sharer to accept, then answers "
            + "its address and data port; a firewalled sharer is asked to push (500 → 607 → 608 → 501) and the answer says so "
            + "(202). 404 user-offline/not-shared, 409 firewalled (both ends), 503 queue-full, 504 timeout")
    @PostMapping("/downloads")
    public ResponseEntity<DownloadView> download(@Valid @RequestBody DownloadRequest r,
                                                 @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Session s = session(authorization);
        DownloadTicket t = await(napster(() -> server.requestDownload(s, r.nick(), r.path())));
        if (t.port() == 0) {
            t = await(napster(() -> server.requestPush(s, r.nick(), r.path())));
        }
        return ResponseEntity.status(t.push() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(DownloadView.of(t));
    }

    private DownloadTicket await(CompletableFuture<DownloadTicket> f) {
        try {
            // the index times the request out itself; the margin covers its sweep period
            return f.get(server.params().acceptTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof NapsterException ne) {
                throw problem(ne);
            }
            throw new IllegalStateException(e.getCause());
        }
        catch (TimeoutException e) {
            throw problem(new NapsterException(NapsterException.Reason.TIMEOUT, "the sharer did not answer"));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.serviceUnavailable("shutting-down", "the index is stopping", 5);
        }
    }

    @Operation(summary = "Server statistics (Napster's 214: users, files, gigabytes) and the cumulative counters")
    @GetMapping("/stats")
    public StatsView stats() {
        IndexServer.Stats s = server.stats();
        return new StatsView(s.users(), s.files(), s.bytes(), s.gigabytes(), s.registered(), s.logins(), s.searches(),
                s.downloadsBrokered(), s.pushes(), service.tcpConnections(), service.tcpPort());
    }
}
