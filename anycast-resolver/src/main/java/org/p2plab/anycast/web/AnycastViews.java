package org.p2plab.anycast.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.p2plab.anycast.protocol.Candidate;
import org.p2plab.anycast.protocol.Resolver;

/** The user API's bodies. */
public final class AnycastViews {

    private AnycastViews() {
    }

    @Schema(description = "Create an anycast group")
    public record CreateGroup(@Schema(example = "Daily-News%cc.gatech.edu") String adn) {
    }

    @Schema(description = "Add a server to a group")
    public record AddMember(@Schema(example = "http://127.0.0.1:8184") String url,
                            @Schema(description = "policy cost, >= 0 (default 1)", example = "1") Double cost) {
    }

    @Schema(description = "A member as the filters saw it")
    public record CandidateView(String id, String url, double cost,
                                @Schema(description = "estimated response time, ms (absent: not probed yet)") Double estimateMillis,
                                @Schema(description = "latest TUFR, ms") Double tufrMillis) {

        static CandidateView of(Candidate c) {
            return new CandidateView(c.id(), c.url(), c.cost(), c.estimate().isPresent() ? c.estimate().getAsDouble() : null,
                    c.tufr().isPresent() ? c.tufr().getAsDouble() : null);
        }
    }

    @Schema(description = "The answer to an anycast query")
    public record Resolution(
            @Schema(example = "ServerLoad.Daily-News%cc.gatech.edu") String adn,
            @Schema(description = "the server chosen, at random from the equivalent set") CandidateView chosen,
            @Schema(description = "every member the filters left") List<CandidateView> equivalentSet,
            @Schema(description = "each member's estimated response time in ms, by member id") Map<String, Double> estimates,
            @Schema(description = "the filters applied, in order", example = "[\"load\"]") List<String> filters,
            @Schema(description = "local: a group held here; authority: fetched from the domain's resolver; cache; stale-cache")
            String source,
            @Schema(description = "the resolver the group came from (absent for a local group)") String authority) {

        static Resolution of(Resolver.Answer a) {
            return new Resolution(a.adn().toString(), CandidateView.of(a.resolution().chosen()),
                    a.resolution().equivalentSet().stream().map(CandidateView::of).toList(), a.resolution().estimates(),
                    a.resolution().filters(), sourceName(a.source()), a.authority());
        }
    }

    @Schema(description = "A group held by this resolver or cached from another")
    public record GroupView(@Schema(example = "Daily-News%cc.gatech.edu") String adn,
                            @Schema(example = "daily-news.cc.gatech.edu.anycast.") String dnsName,
                            int members, @Schema(description = "local or cache") String source, String authority,
                            @Schema(description = "when a cached group expires") Instant expires) {

        static GroupView of(Resolver.GroupView g) {
            return new GroupView(g.adn().toString(), g.adn().dnsName(), g.members(), sourceName(g.source()), g.authority(), g.expires());
        }
    }

    static String sourceName(Resolver.Source s) {
        return s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Schema(description = "This resolver: where it is authoritative, where it asks, its DNS front-end and its counts")
    public record ResolverView(String url, List<String> domains, Map<String, String> authorities, String parent,
                               long probeIntervalMillis, long cacheTtlMillis, double threshold,
                               @Schema(description = "-1: off (see dnsError)") int dnsPort, String dnsError,
                               int groups, int members, int cachedGroups, long probes, long failedProbes, long pushes,
                               long cacheHits, long authorityFetches) {
    }

    @Schema(description = "A content server: its group, resolver, teaching knobs and push daemon")
    public record ServerView(String url, String group, String resolver, long artificialDelayMillis, double loadFactor,
                             int inFlight, @Schema(description = "smoothed TUFR, ms") Double tufrMillis, boolean registered,
                             String memberId, long registrations, long pushes, long failedPushes, Double lastPushedMillis,
                             Instant lastPush, String lastError) {
    }

    @Schema(description = "Change the teaching knobs while the server runs (absent: unchanged)")
    public record ServerSettings(@Schema(example = "400") Long artificialDelayMillis, @Schema(example = "0.5") Double loadFactor) {
    }
}
