package org.p2plab.anycast.protocol;

import java.util.OptionalDouble;

/**
 * One member of a group as the filters see it.
 *
 * @param id       the member's id within its group
 * @param url      where it serves
 * @param cost     its policy cost attribute (lower is preferred by the cost filter)
 * @param estimate estimated response time in ms (empty before its first probe)
 * @param tufr     its latest TUFR in ms, the server-load metric (empty before the first push or probe)
 */
public record Candidate(String id, String url, double cost, OptionalDouble estimate, OptionalDouble tufr) {
}
