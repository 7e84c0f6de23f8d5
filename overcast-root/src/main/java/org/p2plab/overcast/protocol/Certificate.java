package org.p2plab.overcast.protocol;

/**
 * What the up/down protocol carries toward the root (Overcast, OSDI 2000, §4.3): a node was born
 * under a parent, or died. {@code seq} is the node's sequence number, which it increments each
 * time it takes a new parent: a certificate older than what a table holds for that node is
 * stale and ignored, so a late death certificate from a node's old parent cannot undo the birth
 * certificate its new parent sent (the race the paper guards against).
 *
 * @param parent the parent the node was born under (births), or the parent that declared it
 *               dead (deaths)
 */
public record Certificate(Type type, String node, String parent, long seq) {

    /** Birth: {@code node} has a new parent; death: its parent stopped hearing from it (or from an ancestor of it). */
    public enum Type { BIRTH, DEATH }

    public Certificate {
        if (type == null || node == null || node.isBlank() || parent == null || parent.isBlank()) {
            throw new IllegalArgumentException("a certificate names its type, node and parent");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("a sequence number is >= 0, got " + seq);
        }
    }

    public static Certificate birth(String node, String parent, long seq) {
        return new Certificate(Type.BIRTH, node, parent, seq);
    }

    public static Certificate death(String node, String parent, long seq) {
        return new Certificate(Type.DEATH, node, parent, seq);
    }
}
