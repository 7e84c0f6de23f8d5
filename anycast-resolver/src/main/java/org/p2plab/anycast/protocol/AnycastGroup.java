package org.p2plab.anycast.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * One anycast group: its ADN, its members (equivalent replicated servers, each with a policy
 * cost) and what the resolver knows of each member's response time. Thread-safe.
 */
public final class AnycastGroup {

    /** A member: its id within the group, its URL and its cost. */
    public record Member(String id, String url, double cost) {
    }

    private final Adn adn;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Map<String, ServerEstimate> estimates = new LinkedHashMap<>();
    private final AtomicLong turn = new AtomicLong();
    private long nextId = 1;

    public AnycastGroup(Adn adn) {
        this.adn = adn.group();
    }

    public Adn adn() {
        return adn;
    }

    /** Adds a server (or updates the cost of one already in, by URL); its member entry. */
    public synchronized Member add(String url, double cost) {
        if (!(cost >= 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("a cost is a finite number >= 0, got " + cost);
        }
        for (Member m : members.values()) {
            if (m.url().equals(url)) {
                Member updated = new Member(m.id(), url, cost);
                members.put(m.id(), updated);
                return updated;
            }
        }
        Member m = new Member(Long.toString(nextId++), url, cost);
        members.put(m.id(), m);
        estimates.put(m.id(), new ServerEstimate());
        return m;
    }

    public synchronized boolean remove(String id) {
        estimates.remove(id);
        return members.remove(id) != null;
    }

    public synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    public synchronized Optional<Member> byUrl(String url) {
        return members.values().stream().filter(m -> m.url().equals(url)).findFirst();
    }

    /** A push from member {@code id}; false if no such member. */
    public synchronized boolean push(String id, double tufrMillis, Instant now) {
        ServerEstimate e = estimates.get(id);
        if (e == null) {
            return false;
        }
        e.push(tufrMillis, now);
        return true;
    }

    /** A probe of member {@code id}; false if no such member (removed meanwhile). */
    public synchronized boolean probe(String id, double rtMillis, double tufrMillis, Instant now) {
        ServerEstimate e = estimates.get(id);
        if (e == null) {
            return false;
        }
        e.probe(rtMillis, tufrMillis, now);
        return true;
    }

    /** A copy of what is known of each member, by id. */
    public synchronized Map<String, Metrics> metrics() {
        Map<String, Metrics> out = new LinkedHashMap<>();
        members.forEach((id, m) -> {
            ServerEstimate e = estimates.get(id);
            out.put(id, new Metrics(m, e.tufr(), e.rt(), e.sf(), e.estimate(), e.lastPush(), e.lastProbe()));
        });
        return out;
    }

    /** One member's metrics. */
    public record Metrics(Member member, OptionalDouble tufr, OptionalDouble rt,
                          OptionalDouble sf, OptionalDouble estimate, Instant lastPush, Instant lastProbe) {
    }

    public synchronized List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        members.forEach((id, m) -> {
            ServerEstimate e = estimates.get(id);
            out.add(new Candidate(id, m.url(), m.cost(), e.estimate(), e.tufr()));
        });
        return out;
    }

    /** Chooses a member by {@code filters} (empty: response-time); an Equivalent Server set within {@code threshold}. */
    public Selection.Resolution resolve(List<Filter> filters, RandomGenerator random, double threshold) {
        List<Candidate> candidates = candidates();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("the group " + adn + " has no members");
        }
        return Selection.select(candidates, filters, new Filter.Context(random, turn, threshold));
    }
}
