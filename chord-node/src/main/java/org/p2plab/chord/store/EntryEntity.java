package org.p2plab.chord.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Lob;
import jakarta.persistence.Table;

/** One stored key of this node (as owner or replica), tombstones included. */
@Entity
@Table(name = "chord_entry", indexes = @Index(name = "chord_entry_key_id", columnList = "keyId"))
public class EntryEntity {

    @Id
    @Column(name = "entry_key", length = 1024)
    private String key;

    @Column(length = 40, nullable = false)
    private String keyId;

    @Lob
    @Column(name = "entry_value", length = 64 * 1024 * 1024)
    private byte[] value;

    @Column(length = 255)
    private String contentType;

    private long version;

    private boolean deleted;

    protected EntryEntity() {
    }

    public EntryEntity(String key, String keyId, byte[] value, String contentType, long version, boolean deleted) {
        this.key = key;
        this.keyId = keyId;
        this.value = value;
        this.contentType = contentType;
        this.version = version;
        this.deleted = deleted;
    }

    public String getKey() {
        return key;
    }

    public String getKeyId() {
        return keyId;
    }

    public byte[] getValue() {
        return value;
    }

    public String getContentType() {
        return contentType;
    }

    public long getVersion() {
        return version;
    }

    public boolean isDeleted() {
        return deleted;
    }
}
