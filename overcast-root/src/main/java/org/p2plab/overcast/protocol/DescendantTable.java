package org.p2plab.overcast.protocol;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node knows of every node below it, built only from certificates (at the root: the
 * whole tree). Ordered by sequence number: a certificate applies when its sequence number is
 * newer than the entry's, or when it is the death of the very incarnation the entry holds.
 * Anything else is stale (or a repeat) and changes nothing. Not thread-safe: its node guards it.
 */
public final class DescendantTable {

    /**
     * One node as the certificates describe it.
     *
     * @param last the certificate that set this entry
     */
    public record Entry(String node, String parent, long seq, boolean alive, Certificate last) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** Applies a certificate; true if it changed the table (and so must travel on toward the root). */
    public boolean apply(Certificate c) {
        Entry e = entries.get(c.node());
        boolean birth = c.type() == Certificate.Type.BIRTH;
        if (e != null) {
            boolean newer = c.seq() > e.seq();
            boolean deathOfThisIncarnation = c.seq() == e.seq() && !birth && e.alive();
            if (!newer && !deathOfThisIncarnation) {
                return false;
            }
        }
        // a death keeps the parent the node was last known under, so the tree can still be drawn
        String parent = birth || e == null ? c.parent() : e.parent();
        entries.put(c.node(), new Entry(c.node(), parent, c.seq(), birth, c));
        return true;
    }

    public Optional<Entry> get(String node) {
        return Optional.ofNullable(entries.get(node));
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** The live nodes whose parent, as known here, is {@code node}. */
    public List<Entry> children(String node) {
        return entries.values().stream().filter(e -> e.alive() && e.parent().equals(node))
                .sorted(Comparator.comparing(Entry::node)).toList();
    }

    /** Every live node below {@code node} (its children, theirs, ...), nearest first. */
    public List<Entry> subtree(String node) {
        List<Entry> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            for (Entry child : children(todo.poll())) {
                if (!out.contains(child) && !child.node().equals(node)) {
                    out.add(child);
                    todo.add(child.node());
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code node} is alive as far as this table can tell: its own last certificate is a
     * birth, and so is every ancestor's up to the table's owner. A parent that misses its lease is
     * declared dead alone; its subtree is shown dead through it until its nodes rejoin elsewhere
     * (births with newer sequence numbers) or it turns out to have moved with it (its birth under
     * a new parent). Declaring each descendant dead instead would race with a subtree that moved.
     */
    public boolean effectivelyAlive(String node) {
        String at = node;
        for (int depth = 0; depth <= entries.size(); depth++) {
            Entry e = entries.get(at);
            if (e == null) {
                return depth > 0; // reached the table's owner (or a node it never heard of)
            }
            if (!e.alive()) {
                return false;
            }
            at = e.parent();
        }
        return false; // a cycle: only while certificates are still on their way
    }

    /**
     * Each node's depth below the owner of the table these entries come from (its children: 1),
     * following the parents they hold; a snapshot's, so that it matches the entries shown with it.
     */
    public static java.util.Map<String, Integer> depths(List<Entry> snapshot) {
        java.util.Map<String, Entry> byNode = new java.util.HashMap<>();
        snapshot.forEach(e -> byNode.put(e.node(), e));
        java.util.Map<String, Integer> depths = new java.util.HashMap<>();
        for (Entry e : snapshot) {
            int d = 1;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (Entry p = byNode.get(e.parent()); p != null && seen.add(p.node()); p = byNode.get(p.parent())) {
                d++;
            }
            depths.put(e.node(), d);
        }
        return depths;
    }

    /** How many nodes are {@link #effectivelyAlive}. */
    public int alive() {
        return (int) entries.keySet().stream().filter(this::effectivelyAlive).count();
    }
}
