package org.p2plab.gnutella.protocol;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded map whose entries expire: the seen-table (which (GUID, type) pairs passed here) and
 * the reverse-path tables (which neighbour a query, a ping or a servent GUID came from). The
 * oldest entry goes when the table is full; an entry older than the lifetime counts as absent.
 * Not thread-safe: the node guards it.
 */
final class RouteTable<K, V> {

    private record Entry<V>(V value, long at) {
    }

    private final int capacity;
    private final long lifetimeMillis;
    private final LinkedHashMap<K, Entry<V>> map = new LinkedHashMap<>();
    private long evicted;

    RouteTable(int capacity, long lifetimeMillis) {
        this.capacity = capacity;
        this.lifetimeMillis = lifetimeMillis;
    }

    /** Records {@code key → value} unless a live entry exists; true if it was new. */
    boolean putIfAbsent(K key, V value, long now) {
        Entry<V> e = map.get(key);
        if (e != null && now - e.at() <= lifetimeMillis) {
            return false;
        }
        map.remove(key);
        map.put(key, new Entry<>(value, now));
        trim(now);
        return true;
    }

    /** Records {@code key → value}, replacing (a servent's latest route). */
    void put(K key, V value, long now) {
        map.remove(key);
        map.put(key, new Entry<>(value, now));
        trim(now);
    }

    V get(K key, long now) {
        Entry<V> e = map.get(key);
        return e == null || now - e.at() > lifetimeMillis ? null : e.value();
    }

    /** Forgets every entry whose value is {@code value} (a neighbour that left). */
    void removeValue(V value) {
        map.values().removeIf(e -> e.value().equals(value));
    }

    int size() {
        return map.size();
    }

    long evicted() {
        return evicted;
    }

    private void trim(long now) {
        Iterator<Map.Entry<K, Entry<V>>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<K, Entry<V>> e = it.next();
            if (map.size() > capacity || now - e.getValue().at() > lifetimeMillis) {
                it.remove();
                evicted++;
            }
            else {
                break; // insertion order: the rest are younger
            }
        }
    }
}
