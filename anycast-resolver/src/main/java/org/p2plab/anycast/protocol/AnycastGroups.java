package org.p2plab.anycast.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The groups a resolver holds, by ADN (case-insensitive), and the query that picks a member: the
 * filters named in the query, or, for a Metric-Qualified ADN, the filter of its metric first.
 * Thread-safe.
 */
public final class AnycastGroups {

    private final Map<String, AnycastGroup> groups = new ConcurrentHashMap<>();
    private final RandomGenerator random;
    private final double threshold;

    /**
     * @param threshold how far from the best a member may be and still be in the Equivalent
     *                  Server set (0.2: within 20%)
     */
    public AnycastGroups(RandomGenerator random, double threshold) {
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("the equivalence threshold must be >= 0, got " + threshold);
        }
        this.random = random;
        this.threshold = threshold;
    }

    /** Creates the group (the metric of a Metric-Qualified ADN is dropped); false if it exists already. */
    public boolean create(Adn adn) {
        return groups.putIfAbsent(adn.key(), new AnycastGroup(adn)) == null;
    }

    public Optional<AnycastGroup> group(Adn adn) {
        return Optional.ofNullable(groups.get(adn.key()));
    }

    public List<AnycastGroup> all() {
        List<AnycastGroup> all = new ArrayList<>(groups.values());
        all.sort((a, b) -> a.adn().key().compareTo(b.adn().key()));
        return all;
    }

    /**
     * The ADN a DNS name stands for ({@link Adn#dnsName()}): a group's name, or a group's name with
     * one more label in front, its metric. Empty if no group has that name.
     */
    public Optional<Adn> fromDnsName(String dnsName) {
        for (AnycastGroup g : groups.values()) {
            Optional<Adn> adn = g.adn().matchDnsName(dnsName);
            if (adn.isPresent()) {
                return adn;
            }
        }
        return Optional.empty();
    }

    public boolean remove(Adn adn) {
        return groups.remove(adn.key()) != null;
    }

    /**
     * Resolves an ADN: its metric's filter (if qualified) and then {@code filters}, in order;
     * empty if the resolver holds no such group. An unknown metric or filter is an
     * {@link IllegalArgumentException}; a group without members an {@link IllegalStateException}.
     */
    public Optional<Selection.Resolution> resolve(Adn adn, List<String> filters) {
        List<Filter> chain = chain(adn, filters);
        return group(adn).map(g -> resolveIn(g, chain));
    }

    /** Chooses in {@code group} (held here or cached from another resolver) by a query's {@link #chain}. */
    public Selection.Resolution resolveIn(AnycastGroup group, List<Filter> chain) {
        return group.resolve(chain, random, threshold);
    }

    /** The filters of a query: the metric's (if qualified), then those named; unknown names are an {@link IllegalArgumentException}. */
    public static List<Filter> chain(Adn adn, List<String> filters) {
        List<Filter> chain = new ArrayList<>();
        if (adn.metric() != null) {
            chain.add(Filter.named(adn.metric()));
        }
        for (String f : filters) {
            chain.add(Filter.named(f));
        }
        return chain;
    }
}
