package org.p2plab.anycast.transport;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.p2plab.anycast.config.AnycastService;
import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.Resolver;
import org.p2plab.anycast.transport.PeerDtos.MemberDto;
import org.p2plab.anycast.transport.PeerDtos.MetricsDto;
import org.p2plab.anycast.transport.PeerDtos.PushRequest;
import org.p2plab.anycast.transport.PeerDtos.RegisterRequest;
import org.p2plab.anycast.web.Requests;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The resolver's peer API: content servers register and push; other resolvers fetch groups. */
@RestController
@RequestMapping("/peer")
@Tag(name = "peer API", description = "Content servers register and push their TUFR; resolvers fetch the groups they are authoritative for")
public class PeerController {

    private final AnycastService anycast;
    private final P2pMetrics metrics;

    public PeerController(AnycastService anycast, P2pMetrics metrics) {
        this.anycast = anycast;
        this.metrics = metrics;
    }

    private Resolver resolver(String type) {
        metrics.message(HttpAnycastPeer.SYSTEM, type, P2pMetrics.IN);
        return anycast.resolver();
    }

    @PostMapping("/push")
    @Operation(summary = "A content server pushes its smoothed TUFR (404 unknown-member: register again)")
    public ResponseEntity<Void> push(@Valid @RequestBody PushRequest body) {
        Resolver r = resolver("push");
        Adn adn = Requests.adn(body.adn());
        if (!r.handlePush(adn, Requests.serverUrl(body.url()), body.tufrMillis())) {
            throw ProblemException.notFound(HttpAnycastPeer.UNKNOWN_MEMBER, body.url() + " is not a member of " + adn.group()
                    + " on this resolver; register with POST /peer/register");
        }
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/register")
    @Operation(summary = "A content server joins its group (created if this resolver is authoritative for the domain)")
    public MemberDto register(@Valid @RequestBody RegisterRequest body) {
        Resolver r = resolver("register");
        Adn adn = Requests.adn(body.adn());
        return MemberDto.of(Requests.refusals(() -> r.register(adn, Requests.serverUrl(body.url()),
                body.cost() == null ? 1 : body.cost())));
    }

    @GetMapping("/groups/{adn}")
    @Operation(summary = "A group this resolver holds, with what it knows of each member (what a local resolver caches)")
    public List<MetricsDto> group(@PathVariable String adn) {
        Resolver r = resolver("group");
        Adn a = Requests.adn(adn);
        return r.snapshot(a).orElseThrow(() -> ProblemException.notFound(HttpAnycastPeer.UNKNOWN_GROUP,
                "no group " + a.group() + " on this resolver")).stream().map(MetricsDto::of).toList();
    }
}
