package org.p2plab.anycast.protocol;

import java.util.List;
import java.util.Optional;

/**
 * What the protocol's roles ask of other nodes: a resolver probes content servers and asks the
 * authoritative resolver of a domain for a group; a content server registers with its resolver
 * and pushes its TUFR. Any call may throw {@link org.p2plab.overlay.PeerUnavailableException}
 * (no answer: route around it, retry later).
 */
public interface AnycastPeer {

    /** A probe's result: the response time measured, and the TUFR the probe file held. */
    record Probe(double rtMillis, double tufrMillis) {
    }

    /** The other node answered but said no (e.g. a resolver not authoritative for the ADN). */
    final class RefusedException extends RuntimeException {
        public RefusedException(String message) {
            super(message);
        }
    }

    /** Fetches the probe file of the content server at {@code serverUrl}, timing the response. */
    Probe probe(String serverUrl);

    /** Pushes a TUFR; false if the resolver does not know {@code serverUrl} in that group (register again). */
    boolean push(String resolver, Adn group, String serverUrl, double tufrMillis);

    /** Registers {@code serverUrl} as a member of {@code group} (created if the resolver is authoritative for it). */
    AnycastGroup.Member register(String resolver, Adn group, String serverUrl, double cost);

    /** The group's members and metrics as the resolver holds them; empty if it holds no such group. */
    Optional<List<AnycastGroup.Metrics>> group(String resolver, Adn group);
}
