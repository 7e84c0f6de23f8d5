package org.p2plab.overcast.protocol;

/**
 * What an Overcast node asks of others: the check-in, and what tree building measures
 * ({@link TreeBuilder.View}). Any call may throw
 * {@link org.p2plab.overlay.PeerUnavailableException}: the node routes around it (a parent that
 * does not answer is replaced by the nearest live ancestor).
 */
public interface OvercastPeer extends TreeBuilder.View {

    /** Checks in with {@code parent}: the lease is renewed and the certificates go up. */
    UpDown.Reply checkIn(String parent, UpDown.CheckIn checkIn);
}
