package org.p2plab.overcast.protocol;

import java.util.List;

/**
 * What an Overcast node asks of others. Any call may throw
 * {@link org.p2plab.overlay.PeerUnavailableException}: the node routes around it (a parent that
 * does not answer is replaced by the nearest live ancestor).
 */
public interface OvercastPeer {

    /** Checks in with {@code parent}: the lease is renewed and the certificates go up. */
    UpDown.Reply checkIn(String parent, UpDown.CheckIn checkIn);

    /** The bandwidth from {@code node} to this node, bytes per second (a timed download of the probe object). */
    double bandwidth(String node);

    /** How far {@code node} is, in hops. */
    int hops(String node);

    /** {@code node}'s children now. */
    List<String> children(String node);
}
