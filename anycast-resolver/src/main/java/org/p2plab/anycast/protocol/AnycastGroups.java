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
        String name = dnsName.toLowerCase(java.util.Locale.ROOT);
        for (AnycastGroup g : groups.values()) {
            String groupName = g.adn().dnsName();
            if (name.equals(groupName)) {
                return Optional.of(g.adn());
            }
            if (name.endsWith("." + groupName)) {
                String metric = name.substring(0, name.length() - groupName.length() - 1);
                if (!metric.contains(".")) {
                    try {
                        return Optional.of(new Adn(metric, g.adn().service(), g.adn().domain()));
                    }
                    catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
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
        List<Filter> chain = new ArrayList<>();
        if (adn.metric() != null) {
            chain.add(Filter.named(adn.metric()));
        }
        for (String f : filters) {
            chain.add(Filter.named(f));
        }
        return group(adn).map(g -> g.resolve(chain, random, threshold));
    }
}
