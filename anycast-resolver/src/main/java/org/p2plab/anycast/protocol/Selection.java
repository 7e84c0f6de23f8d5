package org.p2plab.anycast.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Runs a chain of filters over a group's candidates and draws the answer at random from the
 * Equivalent Server set that is left.
 */
public final class Selection {

    private Selection() {
    }

    /**
     * The answer to one query.
     *
     * @param chosen        the server given to the client
     * @param equivalentSet every server the chain left, which the answer was drawn from
     * @param estimates     every member's estimated response time in ms (absent: not probed yet)
     * @param filters       the filters applied, in order
     */
    public record Resolution(Candidate chosen, List<Candidate> equivalentSet, Map<String, Double> estimates, List<String> filters) {
    }

    /** Applies {@code filters} in order; the default chain is response-time. */
    public static Resolution select(List<Candidate> members, List<Filter> filters, Filter.Context context) {
        if (members.isEmpty()) {
            throw new IllegalStateException("the group has no members");
        }
        List<Filter> chain = filters.isEmpty() ? List.of(Filter.RESPONSE_TIME) : filters;
        List<Candidate> set = members;
        for (Filter f : chain) {
            List<Candidate> narrowed = f.apply(set, context);
            if (narrowed.isEmpty()) {
                break; // a filter that leaves nothing is ignored: some server is better than none
            }
            set = narrowed;
        }
        Candidate chosen = set.get(context.random().nextInt(set.size()));
        Map<String, Double> estimates = new TreeMap<>();
        for (Candidate c : members) {
            OptionalDouble e = c.estimate();
            if (e.isPresent()) {
                estimates.put(c.id(), e.getAsDouble());
            }
        }
        return new Resolution(chosen, List.copyOf(set), estimates, new ArrayList<>(chain.stream().map(Filter::name).toList()));
    }
}
