package org.p2plab.overlay;

/**
 * A peer did not answer: refused, timed out, or (in the simulator) failed. Normal in a
 * peer-to-peer system; protocol code catches it and routes around the peer.
 */
public class PeerUnavailableException extends RuntimeException {

    private final String address;

    public PeerUnavailableException(String address, String message) {
        super(message);
        this.address = address;
    }

    public PeerUnavailableException(String address, String message, Throwable cause) {
        super(message, cause);
        this.address = address;
    }

    /** The address that did not answer. */
    public String address() {
        return address;
    }
}
