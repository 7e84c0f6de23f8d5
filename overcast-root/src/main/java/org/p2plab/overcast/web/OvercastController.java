package org.p2plab.overcast.web;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.p2plab.overcast.config.OvercastService;
import org.p2plab.overcast.content.ContentItem;
import org.p2plab.overcast.content.ContentStore;
import org.p2plab.overcast.protocol.DescendantTable;
import org.p2plab.overcast.protocol.OvercastNode;
import org.p2plab.overcast.protocol.TreeBuilder;
import org.p2plab.overcast.protocol.UpDown;
import org.p2plab.overcast.transport.ContentResponses;
import org.p2plab.overcast.web.OvercastViews.CertificateView;
import org.p2plab.overcast.web.OvercastViews.CertificatesView;
import org.p2plab.overcast.web.OvercastViews.GroupView;
import org.p2plab.overcast.web.OvercastViews.ItemView;
import org.p2plab.overcast.web.OvercastViews.JoinView;
import org.p2plab.overcast.web.OvercastViews.MeasuredView;
import org.p2plab.overcast.web.OvercastViews.RoundView;
import org.p2plab.overcast.web.OvercastViews.ServingRate;
import org.p2plab.overcast.web.OvercastViews.StatusView;
import org.p2plab.overcast.web.OvercastViews.TreeNodeView;
import org.p2plab.overcast.web.OvercastViews.TreeView;
import org.p2plab.support.dht.DhtRequests;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The user API: publishing and redirection at the root, content and state at every node. */
@RestController
@Tag(name = "overcast", description = "Publish content at the root, get redirected to a node, fetch content from a node, "
        + "and watch the tree: the root's table, its certificates, each node's place and measurements")
public class OvercastController {

    private final OvercastService overcast;
    private final P2pMetrics metrics;

    public OvercastController(OvercastService overcast, P2pMetrics metrics) {
        this.overcast = overcast;
        this.metrics = metrics;
    }

    @PostMapping("/groups/{group}/content")
    @Operation(summary = "Root: publish content in a group (the body, any type, is the content; the group is created by "
            + "its first item). 201 with the item; 200 if the same bytes are there already; 409 if the name holds other "
            + "bytes (content is immutable)")
    @Parameter(name = "name", description = "the content's name, e.g. intro.mp4", required = true,
            in = io.swagger.v3.oas.annotations.enums.ParameterIn.QUERY,
            schema = @io.swagger.v3.oas.annotations.media.Schema(type = "string"))
    public ResponseEntity<ItemView> publish(@PathVariable String group, HttpServletRequest request) throws IOException {
        overcast.requireTopRoot("publish");
        Requests.name(group, "group");
        // the name is read from the query string itself: a form-encoded body (curl's default type) must stay the content
        String name = org.p2plab.support.http.RawQuery.param(request, "name");
        if (name == null) {
            throw ProblemException.badRequest("missing-name", "publish needs the content's name: ?name=intro.mp4");
        }
        Requests.name(name, "content name");
        ContentStore.Published p;
        try {
            p = overcast.store().publish(group, name, request.getInputStream(), overcast.properties().maxContentSize().toBytes(),
                    System.currentTimeMillis());
        }
        catch (ContentStore.ConflictException e) {
            throw ProblemException.conflict("content-exists", e.getMessage());
        }
        catch (ContentStore.TooLargeException e) {
            throw ProblemException.payloadTooLarge(e.getMessage());
        }
        ItemView view = view(p.item());
        return p.created() ? ResponseEntity.created(URI.create(view.url())).body(view) : ResponseEntity.ok(view);
    }

    @GetMapping("/groups")
    @Operation(summary = "The groups and items this node holds (at the root: everything published)")
    public List<GroupView> groups() {
        return overcast.groups().entrySet().stream()
                .map(e -> new GroupView(e.getKey(), e.getValue().stream().map(this::view).toList())).toList();
    }

    @GetMapping("/groups/{group}")
    @Operation(summary = "One group's items this node holds (404 unknown-group)")
    public GroupView group(@PathVariable String group) {
        Requests.name(group, "group");
        List<ContentItem> items = overcast.groups().get(group);
        if (items == null) {
            throw ProblemException.notFound("unknown-group", "this node holds nothing in the group " + group);
        }
        return new GroupView(group, items.stream().map(this::view).toList());
    }

    @GetMapping("/groups/{group}/join")
    @Operation(summary = "Root: redirect a client to the node that should serve it (302; the rule: a live node on the "
            + "client's host first, then the one sent the fewest clients, then the shallowest). With name=, to that item")
    public ResponseEntity<JoinView> join(@PathVariable String group,
                                         @Parameter(description = "an item of the group to go to") @RequestParam(required = false) String name,
                                         @Parameter(description = "the client's host, if not the caller's (a lab's what-if)")
                                         @RequestParam(required = false) String client,
                                         @RequestHeader(name = "X-Forwarded-For", required = false) String forwardedFor,
                                         HttpServletRequest request) throws IOException {
        return measured("join", lookup -> {
            overcast.requireRoot("join");
            Requests.name(group, "group");
            List<ContentItem> items = overcast.groups().get(group);
            if (items == null) {
                throw ProblemException.notFound("unknown-group", "nothing has been published in the group " + group);
            }
            if (name != null) {
                Requests.name(name, "content name");
                if (items.stream().noneMatch(i -> i.name().equals(name))) {
                    throw ProblemException.notFound("unknown-content", "the group " + group + " holds no " + name);
                }
            }
            String host = client != null && !client.isBlank() ? client.strip()
                    : forwardedFor != null && !forwardedFor.isBlank() ? forwardedFor.split(",")[0].strip() : request.getRemoteAddr();
            OvercastService.Choice choice = overcast.chooseFor(host);
            String location = choice.node() + "/groups/" + group + (name == null ? "" : "/content/" + name);
            lookup.found(choice.depth());
            return ResponseEntity.status(HttpStatus.FOUND).location(URI.create(location))
                    .header(DhtRequests.OWNER, choice.node()).header(DhtRequests.HOPS, Integer.toString(choice.depth()))
                    .body(new JoinView(choice.node(), location, choice.depth(), choice.reason()));
        });
    }

    @GetMapping("/groups/{group}/content/{name}")
    @Operation(summary = "An item's bytes from this node (pulled from its parent first if it does not hold it yet), "
            + "through its serving rate; Range: bytes=N- supported; X-Overcast-Sha256 and the ETag carry its checksum")
    public void content(@PathVariable String group, @PathVariable String name,
                        @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                        HttpServletResponse response) throws IOException {
        measured("content", lookup -> {
            Requests.name(group, "group");
            Requests.name(name, "content name");
            ContentItem item = overcast.content(group, name).orElseThrow(() ->
                    ProblemException.notFound("unknown-content", "no " + group + "/" + name + " here or up the tree"));
            lookup.found(depth());
            response.setHeader(DhtRequests.OWNER, overcast.self());
            response.setHeader(DhtRequests.HOPS, Integer.toString(depth()));
            overcast.served(ContentResponses.write(range, response, item, overcast.store(), overcast.bucket()));
            return null;
        });
    }

    /** One user request measured as a lookup: not found unless the body calls {@link Lookup#found}; failed on a 5xx problem. */
    private static final class Lookup {
        String outcome = P2pMetrics.NOT_FOUND;
        int hops = -1;

        void found(int depth) {
            outcome = P2pMetrics.FOUND;
            hops = depth;
        }
    }

    @FunctionalInterface
    private interface Measured<T> {
        T run(Lookup lookup) throws IOException;
    }

    private <T> T measured(String operation, Measured<T> body) throws IOException {
        long start = System.nanoTime();
        Lookup lookup = new Lookup();
        try {
            return body.run(lookup);
        }
        catch (ProblemException e) {
            if (e.status().is5xxServerError()) {
                lookup.outcome = P2pMetrics.FAILED;
            }
            throw e;
        }
        finally {
            metrics.recordLookup(OvercastService.SYSTEM, operation, lookup.outcome, Duration.ofNanos(System.nanoTime() - start),
                    lookup.hops);
        }
    }

    private int depth() {
        UpDown u = overcast.updown();
        return u.isRoot() ? 0 : Math.max(1, u.ancestors().size());
    }

    @GetMapping("/tree")
    @Operation(summary = "The tree as this node's table holds it (at the root: the whole tree): every node with its "
            + "address, parent, status (alive/dead), sequence number, depth and last certificate")
    public TreeView tree() {
        UpDown u = overcast.updown();
        List<DescendantTable.Entry> table = u.table();
        Map<String, Integer> depths = DescendantTable.depths(table);
        List<TreeNodeView> nodes = table.stream().map(e -> new TreeNodeView(e.node(), e.parent(), e.alive() ? "alive" : "dead",
                u.alive(e.node()), e.seq(), depths.get(e.node()), u.lastLogged(e.node()).map(CertificateView::of).orElse(null)))
                .sorted(java.util.Comparator.comparingInt(TreeNodeView::depth).thenComparing(TreeNodeView::address)).toList();
        int alive = (int) nodes.stream().filter(TreeNodeView::reachable).count();
        return new TreeView(u.self(), u.isRoot(), alive, nodes.size() - alive, nodes);
    }

    @GetMapping("/certificates")
    @Operation(summary = "The certificates that changed this node's table, oldest first, after index since (0: from the "
            + "oldest kept); follow with since=next")
    public CertificatesView certificates(@RequestParam(defaultValue = "0") long since,
                                         @RequestParam(defaultValue = "1000") int limit) {
        if (since < 0) {
            throw ProblemException.badRequest("invalid-since", "since is a certificate index >= 0, got " + since);
        }
        if (limit < 1 || limit > 10_000) {
            throw ProblemException.badRequest("invalid-limit", "limit is 1..10000, got " + limit);
        }
        UpDown u = overcast.updown();
        List<CertificateView> certs = u.log(since, limit).stream().map(CertificateView::of).toList();
        long oldest = u.log(0, 1).stream().mapToLong(UpDown.Logged::index).findFirst().orElse(0);
        return new CertificatesView(certs.isEmpty() ? Math.max(since, u.logIndex()) : certs.getLast().index(), oldest, certs);
    }

    @GetMapping("/status")
    @Operation(summary = "This node: its parent, ancestors and children, its last tree-building round with its "
            + "bandwidth measurements, its counters, serving rate and content")
    public StatusView status() {
        UpDown u = overcast.updown();
        OvercastNode n = overcast.node();
        OvercastNode.Stats s = n.stats();
        TreeBuilder.Round r = n.lastRound();
        RoundView round = r == null ? null : new RoundView(r.parentBefore(), r.parentAfter(), r.moved(), r.rejoined(),
                r.measured().stream().map(m -> new MeasuredView(m.node(), m.bandwidth(), m.hops())).toList());
        ContentStore store = overcast.store();
        String root = u.isRoot() ? u.self() : overcast.properties().isRoot() ? u.ancestors().stream().findFirst().orElse(u.parent())
                : overcast.properties().root();
        return new StatusView(overcast.properties().role().name().toLowerCase(java.util.Locale.ROOT),
                overcast.properties().isLinearRoot(), n.tookOver(), u.self(), root, u.parent(), u.ancestors(), depth(), u.seq(), u.children(),
                overcast.bucket().rate(), s.rounds(), s.moves(), s.rejoins(), s.failedCheckIns(), round,
                overcast.peer().lastBandwidths(), store.items().size(), store.bytes(), u.pending());
    }

    @GetMapping("/serving-rate")
    @Operation(summary = "This node's serving rate, bytes per second (0: unlimited)")
    public ServingRate servingRate() {
        return new ServingRate(overcast.bucket().rate());
    }

    @PutMapping("/serving-rate")
    @Operation(summary = "Change this node's serving rate (the teaching knob): the next probes and transfers follow it, "
            + "and the next rounds move the tree")
    public ServingRate setServingRate(@Valid @RequestBody ServingRate body) {
        overcast.bucket().setRate(body.bytesPerSecond());
        return new ServingRate(overcast.bucket().rate());
    }

    private ItemView view(ContentItem i) {
        String url = ServletUriComponentsBuilder.fromCurrentContextPath().path("/groups/{group}/content/{name}")
                .buildAndExpand(i.group(), i.name()).toUriString();
        return new ItemView(i.group(), i.name(), i.size(), i.sha256(), Instant.ofEpochMilli(i.publishedAt()), url);
    }
}
