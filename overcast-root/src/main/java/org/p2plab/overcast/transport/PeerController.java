package org.p2plab.overcast.transport;

import java.io.IOException;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import org.p2plab.overcast.config.OvercastService;
import org.p2plab.overcast.content.ContentItem;
import org.p2plab.overcast.content.TokenBucket;
import org.p2plab.overcast.protocol.UpDown;
import org.p2plab.overcast.transport.PeerDtos.CertificateDto;
import org.p2plab.overcast.transport.PeerDtos.CheckInReply;
import org.p2plab.overcast.transport.PeerDtos.CheckInRequest;
import org.p2plab.overcast.transport.PeerDtos.ItemDto;
import org.p2plab.overcast.web.Requests;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What nodes ask of each other: check-ins (the up/down protocol), probes and children (tree building), content. */
@RestController
@RequestMapping("/peer")
@Tag(name = "peer API", description = "Node to node: a child's check-in, the probe object and the children list that tree "
        + "building measures, and the catalog and content a child pulls")
public class PeerController {

    private final OvercastService overcast;
    private final P2pMetrics metrics;

    public PeerController(OvercastService overcast, P2pMetrics metrics) {
        this.overcast = overcast;
        this.metrics = metrics;
    }

    private void in(String type) {
        metrics.message(HttpOvercastPeer.SYSTEM, type, P2pMetrics.IN);
    }

    @PostMapping("/check-in")
    @Operation(summary = "A child checks in: its lease is renewed, a birth certificate is made if it is new here (or under "
            + "a new sequence number), and the certificates it carries are applied and go on up; answers this node's "
            + "ancestors and itself, root first (409 cycle: this node is below the caller)")
    public CheckInReply checkIn(@Valid @RequestBody CheckInRequest body) {
        in("check-in");
        UpDown u = overcast.updown();
        String child = Requests.nodeUrl(body.node(), "node");
        for (CertificateDto c : body.certificates()) {
            Requests.nodeUrl(c.node(), "a certificate's node");
            Requests.nodeUrl(c.parent(), "a certificate's parent");
        }
        if (child.equals(u.self())) {
            throw ProblemException.badRequest("self-check-in", "a node does not check in with itself");
        }
        if (u.ancestors().contains(child)) {
            throw ProblemException.conflict("cycle", child + " is an ancestor of " + u.self() + ": it cannot be its child");
        }
        if (body.isLinearRoot()) {
            overcast.linearChild(child);
        }
        else {
            refuseBelowLinearRoot(child);
        }
        UpDown.CheckIn c = new UpDown.CheckIn(child, body.seq(), body.certificates().stream().map(CertificateDto::toCertificate).toList());
        return new CheckInReply(u.handleCheckIn(c, java.time.Instant.now()).ancestors());
    }

    @GetMapping("/probe")
    @Operation(summary = "The probe object, served at the share of this node's serving rate that the caller would get as "
            + "one more of its children (its rate / (children + 1); / children if the caller already is one)")
    public void probe(@Parameter(description = "the measuring node's URL") @RequestParam(required = false) String from,
                      @Parameter(description = "the measuring node is a linear root") @RequestParam(defaultValue = "false")
                      boolean linear, HttpServletResponse response) throws IOException {
        in("probe");
        UpDown u = overcast.updown();
        List<String> children = u.children();
        if (!linear) {
            refuseBelowLinearRoot(from); // so that tree building never counts a linear root as a place to go
        }
        int share = children.size() + (from != null && children.contains(from) ? 0 : 1);
        long rate = overcast.bucket().rate();
        TokenBucket paced = new TokenBucket(rate == 0 ? 0 : Math.max(1, rate / share), ContentResponses.CHUNK);
        overcast.served(ContentResponses.probe(overcast.properties().probeSize().toBytes(), response, paced));
    }

    /** A linear root with a linear root below it takes no ordinary nodes: 409 linear-root, naming where to join. */
    private void refuseBelowLinearRoot(String node) {
        overcast.linearChild().filter(c -> !c.equals(node)).ifPresent(c -> {
            throw ProblemException.conflict("linear-root", overcast.updown().self() + " is a linear root: nodes join below " + c);
        });
    }

    @GetMapping("/children")
    @Operation(summary = "This node's children (whose leases run)")
    public List<String> children() {
        in("children");
        return overcast.updown().children();
    }

    @GetMapping("/catalog")
    @Operation(summary = "Every content item this node holds complete and checked: what its children may pull")
    public List<ItemDto> catalog() {
        in("catalog");
        return overcast.store().items().stream().map(ItemDto::of).toList();
    }

    @GetMapping("/content/{group}/{name}")
    @Operation(summary = "An item's bytes, through this node's serving rate; Range: bytes=N- resumes a pull")
    public void content(@PathVariable String group, @PathVariable String name,
                        @RequestHeader(name = HttpHeaders.RANGE, required = false) String range,
                        HttpServletResponse response) throws IOException {
        in("content");
        ContentItem item = overcast.store().item(Requests.name(group, "group"), Requests.name(name, "content name"))
                .orElseThrow(() -> ProblemException.notFound("unknown-content", "this node holds no " + group + "/" + name));
        overcast.served(ContentResponses.write(range, response, item, overcast.store(), overcast.bucket()));
    }
}
