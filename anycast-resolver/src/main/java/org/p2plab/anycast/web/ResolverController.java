package org.p2plab.anycast.web;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.p2plab.anycast.config.AnycastService;
import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.AnycastGroup;
import org.p2plab.anycast.protocol.Resolver;
import org.p2plab.anycast.transport.PeerDtos.MemberDto;
import org.p2plab.anycast.transport.PeerDtos.MetricsDto;
import org.p2plab.anycast.web.AnycastViews.AddMember;
import org.p2plab.anycast.web.AnycastViews.CreateGroup;
import org.p2plab.anycast.web.AnycastViews.GroupView;
import org.p2plab.anycast.web.AnycastViews.Resolution;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The resolver's user API: queries, groups and members, and what it knows of them. */
@RestController
@Tag(name = "resolver", description = "Anycast queries by ADN, the groups and their members, the push-probe metrics")
public class ResolverController {

    private static final String SYSTEM = AnycastService.SYSTEM;

    private final AnycastService anycast;
    private final P2pMetrics metrics;

    public ResolverController(AnycastService anycast, P2pMetrics metrics) {
        this.anycast = anycast;
        this.metrics = metrics;
    }

    @GetMapping("/resolve/{adn}")
    @Operation(summary = "Choose a server of the group (write the ADN's '%' as %25 in the path)",
            description = "Filters run in the order given, then the answer is drawn at random from what is left (the "
                    + "Equivalent Server set). A Metric-Qualified ADN (ServerLoad.Daily-News%cc.gatech.edu) puts its "
                    + "metric's filter first. Default: response-time. An ADN of a domain this resolver is not "
                    + "authoritative for is fetched from that domain's resolver and cached.")
    public Resolution resolve(@Parameter(example = "Daily-News%cc.gatech.edu") @PathVariable String adn,
                              @Parameter(description = "random, round-robin, response-time, load, cost; repeat or comma-separate")
                              @RequestParam(name = "filter", required = false) List<String> filter) {
        Resolver r = anycast.resolver();
        Adn a = Requests.adn(adn);
        List<String> filters = new ArrayList<>();
        if (filter != null) {
            for (String f : filter) {
                for (String part : f.split(",")) {
                    if (!part.isBlank()) {
                        filters.add(part.strip());
                    }
                }
            }
        }
        long start = System.nanoTime();
        String outcome = P2pMetrics.FAILED;
        int hops = -1;
        try {
            Resolver.Answer answer = r.resolve(a, filters);
            outcome = P2pMetrics.FOUND;
            hops = answer.hops();
            return Resolution.of(answer);
        }
        catch (Resolver.UnknownGroupException e) {
            outcome = P2pMetrics.NOT_FOUND;
            throw Requests.unknownGroup(e.getMessage());
        }
        catch (IllegalArgumentException e) {
            outcome = null; // bad input, not a lookup
            throw ProblemException.badRequest("unknown-filter", e.getMessage());
        }
        catch (IllegalStateException e) {
            throw ProblemException.serviceUnavailable("no-members", "the group " + a.group() + " has no members yet", 5);
        }
        catch (Resolver.AuthorityUnavailableException e) {
            throw ProblemException.serviceUnavailable("authority-unavailable", e.getMessage(), 5).with("authority", e.authority());
        }
        finally {
            if (outcome != null) {
                metrics.recordLookup(SYSTEM, "resolve", outcome, Duration.ofNanos(System.nanoTime() - start), hops);
            }
        }
    }

    @GetMapping("/resolver")
    @Operation(summary = "This resolver: its domains, authorities, parent, knobs, DNS port and counts")
    public AnycastViews.ResolverView resolver() {
        Resolver r = anycast.resolver();
        Resolver.Params p = r.params();
        Resolver.Stats s = r.stats();
        return new AnycastViews.ResolverView(anycast.selfUrl(), p.domains(), new java.util.TreeMap<>(p.authorities()), p.parent(),
                p.probeInterval().toMillis(), p.cacheTtl().toMillis(), p.threshold(), anycast.dnsPort(), anycast.dnsError(),
                r.localGroups(), r.localMembers(), r.cachedGroups(), s.probes(), s.failedProbes(), s.pushes(), s.cacheHits(),
                s.authorityFetches());
    }

    @GetMapping("/groups")
    @Operation(summary = "The groups this resolver holds, then those it has cached")
    public List<GroupView> groups() {
        return anycast.resolver().groups().stream().map(GroupView::of).toList();
    }

    @PostMapping("/groups")
    @Operation(summary = "Create a group (this resolver must be authoritative for its domain)")
    public ResponseEntity<GroupView> create(@RequestBody CreateGroup body) {
        Resolver r = anycast.resolver();
        Adn adn = Requests.adn(body == null ? null : body.adn()).group();
        boolean created = Requests.refusals(() -> r.createGroup(adn));
        if (!created) {
            throw ProblemException.conflict("group-exists", "the group " + adn + " exists");
        }
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/groups/{adn}").buildAndExpand(adn.toString())
                .encode().toUri();
        return ResponseEntity.created(location).body(new GroupView(adn.toString(), adn.dnsName(), 0, "local", null, null));
    }

    @GetMapping("/groups/{adn}")
    @Operation(summary = "A group's members")
    public List<MemberDto> members(@Parameter(example = "Daily-News%cc.gatech.edu") @PathVariable String adn) {
        return local(adn).members().stream().map(MemberDto::of).toList();
    }

    @DeleteMapping("/groups/{adn}")
    @Operation(summary = "Delete a group")
    public ResponseEntity<Void> delete(@PathVariable String adn) {
        AnycastGroup g = local(adn);
        anycast.resolver().deleteGroup(g.adn());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/groups/{adn}/members")
    @Operation(summary = "Add a server to a group (or change its cost); it is probed at once")
    public ResponseEntity<MemberDto> add(@PathVariable String adn, @RequestBody AddMember body) {
        AnycastGroup g = local(adn);
        if (body == null || body.url() == null) {
            throw ProblemException.badRequest("missing-parameter", "the body needs the member's url, e.g. "
                    + "{\"url\": \"http://127.0.0.1:8184\", \"cost\": 1}");
        }
        String url = Requests.serverUrl(body.url());
        double cost = body.cost() == null ? 1 : body.cost();
        AnycastGroup.Member m = Requests.refusals(() -> anycast.resolver().addMember(g.adn(), url, cost));
        URI location = ServletUriComponentsBuilder.fromCurrentContextPath().path("/groups/{adn}/members/{id}")
                .buildAndExpand(g.adn().toString(), m.id()).encode().toUri();
        return ResponseEntity.created(location).body(MemberDto.of(m));
    }

    @DeleteMapping("/groups/{adn}/members/{id}")
    @Operation(summary = "Remove a server from a group")
    public ResponseEntity<Void> remove(@PathVariable String adn, @PathVariable String id) {
        AnycastGroup g = local(adn);
        if (!g.remove(id)) {
            throw ProblemException.notFound("unknown-member", "no member " + Requests.abbreviate(id) + " in " + g.adn());
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/groups/{adn}/metrics")
    @Operation(summary = "What the resolver knows of each member: TUFR, RT, SF, estimate, last push, last probe")
    public List<MetricsDto> metrics(@PathVariable String adn) {
        return local(adn).metrics().values().stream().map(MetricsDto::of).toList();
    }

    @PostMapping("/groups/{adn}/probe")
    @Operation(summary = "Probe every member now (instead of waiting for the next probe round); the metrics after")
    public List<MetricsDto> probe(@PathVariable String adn) {
        AnycastGroup g = local(adn);
        return anycast.resolver().probeNow(g.adn()).orElseThrow(() -> Requests.unknownGroup("the group " + g.adn()
                + " was deleted meanwhile")).stream().map(MetricsDto::of).toList();
    }

    private AnycastGroup local(String adn) {
        Resolver r = anycast.resolver();
        Adn a = Requests.adn(adn);
        return r.group(a).orElseThrow(() -> {
            String elsewhere = r.authoritativeFor(a) ? "" : r.authorityFor(a).map(x -> "; its domain's resolver is " + x).orElse("");
            return Requests.unknownGroup("no group " + a.group() + " on this resolver" + elsewhere);
        });
    }
}
