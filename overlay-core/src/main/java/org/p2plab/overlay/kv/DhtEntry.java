package org.p2plab.overlay.kv;

import java.util.Arrays;
import java.util.Objects;

import org.p2plab.overlay.NodeId;

/**
 * One stored key: its value and content type, a version that orders writes (higher wins), and
 * whether it is a deletion marker (a tombstone, which keeps a stale replica from reviving it).
 */
public record DhtEntry(String key, byte[] value, String contentType, long version, boolean deleted) {

    public DhtEntry {
        Objects.requireNonNull(key, "key");
        value = value == null ? new byte[0] : value;
    }

    public static DhtEntry tombstone(String key, long version) {
        return new DhtEntry(key, new byte[0], null, version, true);
    }

    public NodeId keyId() {
        return NodeId.hash(key);
    }

    public boolean isNewerThan(DhtEntry other) {
        return other == null || version > other.version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DhtEntry e && key.equals(e.key) && version == e.version && deleted == e.deleted
                && Arrays.equals(value, e.value) && Objects.equals(contentType, e.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, version, deleted);
    }

    @Override
    public String toString() {
        return "DhtEntry[" + key + " v" + version + (deleted ? " deleted" : " " + value.length + "B") + "]";
    }
}
