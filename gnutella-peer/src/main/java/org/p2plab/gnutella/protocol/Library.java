package org.p2plab.gnutella.protocol;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files a servent shares, each under a stable index (the draft: keep file indexes stable).
 * A query matches a file when every one of its words (split at anything not a letter or a digit,
 * case ignored, one-letter words ignored) is a word of the file's name, or when it asks for the
 * file's {@code urn:sha1}.
 */
public final class Library {

    /**
     * One shared file.
     *
     * @param index its index ({@code GET /get/<index>/<name>})
     * @param name  its name
     * @param size  bytes
     * @param sha1  its SHA-1 in base32 (the HUGE {@code urn:sha1:} form), or null
     */
    public record SharedFile(long index, String name, long size, String sha1) {

        public String urn() {
            return sha1 == null ? null : "urn:sha1:" + sha1;
        }
    }

    private final Map<Long, SharedFile> files = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> words = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);
    private final AtomicLong version = new AtomicLong();

    public SharedFile add(String name, long size, String sha1) {
        SharedFile f = new SharedFile(next.getAndIncrement(), name, size, sha1);
        words.put(f.index(), words(name));
        files.put(f.index(), f);
        version.incrementAndGet();
        return f;
    }

    public boolean remove(long index) {
        words.remove(index);
        boolean removed = files.remove(index) != null;
        version.incrementAndGet();
        return removed;
    }

    /** Changes with every add and remove (a QRP table is resent when it has). */
    public long version() {
        return version.get();
    }

    public SharedFile get(long index) {
        return files.get(index);
    }

    public Collection<SharedFile> all() {
        return files.values().stream().sorted(java.util.Comparator.comparingLong(SharedFile::index)).toList();
    }

    /** The file whose SHA-1 (base32) is {@code sha1}, or null. */
    public SharedFile bySha1(String sha1) {
        return files.values().stream().filter(f -> sha1.equalsIgnoreCase(f.sha1())).findFirst().orElse(null);
    }

    public int count() {
        return files.size();
    }

    public long kilobytes() {
        return files.values().stream().mapToLong(SharedFile::size).sum() / 1024;
    }

    /** At most {@code max} files matching {@code criteria} or one of {@code urns}, in index order. */
    public List<SharedFile> search(String criteria, List<String> urns, int max) {
        Set<String> want = words(criteria);
        List<SharedFile> out = new ArrayList<>();
        for (SharedFile f : all()) {
            if (out.size() >= max) {
                break;
            }
            boolean byWords = !want.isEmpty() && words.getOrDefault(f.index(), Set.of()).containsAll(want);
            boolean byUrn = f.sha1() != null && urns.stream().anyMatch(u -> u.equalsIgnoreCase(f.urn()));
            if (byWords || byUrn) {
                out.add(f);
            }
        }
        return out;
    }

    /** The words a search matches on: letters and digits, lower-cased, two or more long. */
    public static Set<String> words(String s) {
        return org.p2plab.overlay.Keywords.of(s, 2);
    }
}
