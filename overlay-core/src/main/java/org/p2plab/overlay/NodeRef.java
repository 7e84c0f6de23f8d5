package org.p2plab.overlay;

import java.util.Objects;

/**
 * A node as others know it: its identifier and the address they reach it at (an HTTP base URL
 * for a real node, any unique name in the simulator).
 */
public record NodeRef(NodeId id, String address) {
    public NodeRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }

    /** A node whose identifier is the SHA-1 of its address, the Chord default. */
    public static NodeRef ofAddress(String address) {
        return new NodeRef(NodeId.hash(address), address);
    }

    @Override
    public String toString() {
        return id.toShortHex() + "@" + address;
    }
}
