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
        validCost(cost);
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

    /** A probe of member {@code id} got no answer; false if no such member. */
    public synchronized boolean unreachable(String id, Instant now) {
        ServerEstimate e = estimates.get(id);
        if (e == null) {
            return false;
        }
        e.unreachable(now);
        return true;
    }

    /**
     * A group as another resolver reported it (members with their ids and what it knows of
     * them): what a local resolver caches and answers from.
     */
    public static AnycastGroup restore(Adn adn, List<Metrics> reported) {
        AnycastGroup g = new AnycastGroup(adn);
        for (Metrics m : reported) {
            Member member = m.member();
            if (g.members.containsKey(member.id())) {
                throw new IllegalArgumentException("member id " + member.id() + " reported twice");
            }
            Member checked = new Member(member.id(), member.url(), validCost(member.cost()));
            g.members.put(checked.id(), checked);
            ServerEstimate e = new ServerEstimate();
            e.restore(orNaN(m.tufr()), orNaN(m.rt()), orNaN(m.sf()), orNaN(m.estimate()), m.lastPush(), m.lastProbe(),
                    m.unreachableSince());
            g.estimates.put(checked.id(), e);
        }
        return g;
    }

    private static double orNaN(OptionalDouble d) {
        return d.isPresent() ? d.getAsDouble() : Double.NaN;
    }

    private static double validCost(double cost) {
        if (!(cost >= 0) || Double.isInfinite(cost)) {
            throw new IllegalArgumentException("a cost is a finite number >= 0, got " + cost);
        }
        return cost;
    }

    /** A copy of what is known of each member, by id. */
    public synchronized Map<String, Metrics> metrics() {
        Map<String, Metrics> out = new LinkedHashMap<>();
        members.forEach((id, m) -> {
            ServerEstimate e = estimates.get(id);
            out.put(id, new Metrics(m, e.tufr(), e.rt(), e.sf(), e.estimate(), e.lastPush(), e.lastProbe(),
                    e.unreachableSince()));
        });
        return out;
    }

    /**
     * One member's metrics.
     *
     * @param unreachableSince since when its probes get no answer; null while it answers
     */
    public record Metrics(Member member, OptionalDouble tufr, OptionalDouble rt,
                          OptionalDouble sf, OptionalDouble estimate, Instant lastPush, Instant lastProbe,
                          Instant unreachableSince) {

        public boolean reachable() {
            return unreachableSince == null;
        }
    }

    /**
     * The members the filters choose from: those that answer. If none answers, all of them (a
     * server that may be back is better than no answer).
     */
    public synchronized List<Candidate> candidates() {
        List<Candidate> reachable = new ArrayList<>();
        List<Candidate> all = new ArrayList<>();
        members.forEach((id, m) -> {
            ServerEstimate e = estimates.get(id);
            Candidate c = new Candidate(id, m.url(), m.cost(), e.estimate(), e.tufr());
            all.add(c);
            if (e.unreachableSince() == null) {
                reachable.add(c);
            }
        });
        return reachable.isEmpty() ? all : reachable;
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
