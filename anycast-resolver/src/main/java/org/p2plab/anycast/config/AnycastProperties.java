package org.p2plab.anycast.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code p2plab.anycast.*}: the roles of this instance and their knobs.
 *
 * @param role              {@code resolver} (groups, probes, queries, DNS), {@code content} (a
 *                          replicated web server with the push daemon), or both
 * @param domains           resolver: the domains it is authoritative for; empty: every domain not
 *                          delegated by {@code authorities} or {@code parent}
 * @param authorities       resolver: the authoritative resolver's URL by domain, e.g.
 *                          {@code p2plab.anycast.authorities[cc.gatech.edu]=http://...}
 * @param parent            resolver: the resolver asked for every other domain; empty: none
 * @param probeInterval     resolver: mean time between probe rounds (each member's probe file is fetched)
 * @param cacheTtl          resolver: how long a group fetched from an authority is answered from the cache
 * @param threshold         resolver: the Equivalent Server set holds the members within this
 *                          fraction of the best (0.3: 30% worse at most); the answer is drawn from it
 * @param dnsPort           resolver: UDP and TCP port of the DNS front-end; 0 any free port, -1 off
 * @param dnsAddress        resolver: the DNS front-end's address; empty: {@code server.address}, else all
 * @param dnsTtl            resolver: the TTL of DNS answers (short: the choice changes)
 * @param resolver          content: the URL of the resolver it registers with and pushes to
 * @param group             content: the ADN of its group, e.g. {@code Daily-News%cc.gatech.edu}
 * @param cost              content: its policy cost attribute (the cost filter prefers the least)
 * @param advertisedAddress content: its URL as clients reach it; empty: http://127.0.0.1:{port}
 * @param contentDir        content: the directory it serves under /content/; empty: a generated page
 * @param artificialDelay   content: extra processing time per request (a teaching knob)
 * @param replicaDelays     content: the artificial delay of replica i (by {@code replica-index}, cycling),
 *                          so that one pod template gives replicas that differ (the Helm chart);
 *                          empty: {@code artificial-delay} for every replica
 * @param replicaIndex      content: this replica's index (a StatefulSet pod's ordinal); null: none
 * @param loadFactor        content: grows the delay with the requests in progress:
 *                          delay × (1 + load-factor × (concurrent − 1))
 * @param pushInterval      content: how often the push daemon checks for a significant TUFR change
 * @param smoothing         content: weight of a new TUFR in the exponential smoothing, (0, 1]
 * @param pushThreshold     content: relative change of the smoothed TUFR that is pushed (0.1: 10%)
 */
@ConfigurationProperties("p2plab.anycast")
public record AnycastProperties(
        @DefaultValue("resolver") Set<Role> role,
        @DefaultValue({}) List<String> domains,
        Map<String, String> authorities,
        String parent,
        @DefaultValue("10s") Duration probeInterval,
        @DefaultValue("30s") Duration cacheTtl,
        @DefaultValue("0.3") double threshold,
        @DefaultValue("5353") int dnsPort,
        String dnsAddress,
        @DefaultValue("5s") Duration dnsTtl,
        String resolver,
        String group,
        @DefaultValue("1") double cost,
        String advertisedAddress,
        String contentDir,
        @DefaultValue("0ms") Duration artificialDelay,
        @DefaultValue({}) List<Duration> replicaDelays,
        Integer replicaIndex,
        @DefaultValue("0") double loadFactor,
        @DefaultValue("1s") Duration pushInterval,
        @DefaultValue("0.3") double smoothing,
        @DefaultValue("0.1") double pushThreshold) {

    /** The roles of one instance. */
    public enum Role {
        RESOLVER, CONTENT
    }

    public AnycastProperties {
        if (role == null || role.isEmpty()) {
            throw new IllegalArgumentException("p2plab.anycast.role needs at least one of resolver, content");
        }
        domains = domains == null ? List.of() : domains;
        replicaDelays = replicaDelays == null ? List.of() : List.copyOf(replicaDelays);
        if (replicaIndex != null && replicaIndex < 0) {
            throw new IllegalArgumentException("p2plab.anycast.replica-index must be >= 0, got " + replicaIndex);
        }
        authorities = authorities == null ? Map.of() : Map.copyOf(authorities);
        if (dnsPort < -1 || dnsPort > 65535) {
            throw new IllegalArgumentException("p2plab.anycast.dns-port is a port, 0 (any) or -1 (off), got " + dnsPort);
        }
        if (role.contains(Role.CONTENT) && (group == null || group.isBlank())) {
            throw new IllegalArgumentException("p2plab.anycast.group: a content server needs the ADN of its group, "
                    + "e.g. Daily-News%cc.gatech.edu");
        }
    }

    /** This content server's artificial delay: its replica's, else {@code artificial-delay}. */
    public Duration effectiveArtificialDelay() {
        return replicaDelays.isEmpty() || replicaIndex == null ? artificialDelay : replicaDelays.get(replicaIndex % replicaDelays.size());
    }

    public boolean resolverRole() {
        return role.contains(Role.RESOLVER);
    }

    public boolean contentRole() {
        return role.contains(Role.CONTENT);
    }
}
