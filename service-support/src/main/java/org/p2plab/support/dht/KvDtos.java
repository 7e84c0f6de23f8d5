package org.p2plab.support.dht;

import jakarta.validation.constraints.NotNull;
import org.p2plab.overlay.kv.DhtEntry;

/** JSON bodies of the key-value part of every DHT's /peer API (Chord, CAN). */
public final class KvDtos {

    private KvDtos() {
    }

    /** A stored entry; the value travels base64-encoded in JSON. */
    public record EntryDto(@NotNull String key, byte[] value, String contentType, long version, boolean deleted) {
        public static EntryDto of(DhtEntry e) {
            return new EntryDto(e.key(), e.value(), e.contentType(), e.version(), e.deleted());
        }

        public DhtEntry toEntry() {
            return new DhtEntry(key, value, contentType, version, deleted);
        }
    }

    public record KeyRequest(@NotNull String key) {
    }

    public record PutRequest(@NotNull String key, @NotNull byte[] value, String contentType) {
    }

    public record PutReplyDto(boolean created, long version) {
    }

    public record DeleteReplyDto(boolean existed) {
    }
}
