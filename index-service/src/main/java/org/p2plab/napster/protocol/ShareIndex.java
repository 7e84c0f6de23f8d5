package org.p2plab.napster.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

import org.roaringbitmap.FastAggregation;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * The inverted index of every online user's shares: each shared file gets a dense int id, and
 * every word (see {@link Words}) a compressed bitmap of the ids whose file has it. A search
 * intersects the bitmaps of its words (cost: the smallest ones, never a scan of the files) and
 * walks the result in id order, applying the filters, until it has enough hits.
 * <p>
 * Ids are reused after a removal, so the bitmaps stay dense. Reads share a lock; adds and removes
 * take it alone (a user's whole list at once, so that a search never sees half a login).
 *
 * @param <O> the owner of a share (the index server's session)
 */
public final class ShareIndex<O> {

    /** One indexed file. */
    public record Entry<O>(int id, O owner, SharedFile file) {
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, RoaringBitmap> postings = new HashMap<>();
    private Entry<O>[] entries = newArray(1024);
    private int[] free = new int[64];
    private int freeCount;
    private int nextId;
    private int files;
    private long bytes;

    @SuppressWarnings("unchecked")
    private static <O> Entry<O>[] newArray(int n) {
        return (Entry<O>[]) new Entry<?>[n];
    }

    /** Indexes {@code list} for {@code owner}; returns the new entries' ids, in order. */
    public int[] addAll(O owner, List<SharedFile> list) {
        int[] ids = new int[list.size()];
        lock.writeLock().lock();
        try {
            for (int i = 0; i < ids.length; i++) {
                ids[i] = addLocked(owner, list.get(i));
            }
        }
        finally {
            lock.writeLock().unlock();
        }
        return ids;
    }

    public int add(O owner, SharedFile file) {
        return addAll(owner, List.of(file))[0];
    }

    private int addLocked(O owner, SharedFile file) {
        int id = freeCount > 0 ? free[--freeCount] : nextId++;
        if (id >= entries.length) {
            entries = Arrays.copyOf(entries, Math.max(entries.length * 2, id + 1));
        }
        entries[id] = new Entry<>(id, owner, file);
        for (String w : Words.ofPath(file.path())) {
            postings.computeIfAbsent(w, k -> new RoaringBitmap()).add(id);
        }
        files++;
        bytes += file.size();
        return id;
    }

    /** Removes the entries {@code ids} (ids not in the index are ignored). */
    public void removeAll(int[] ids) {
        lock.writeLock().lock();
        try {
            for (int id : ids) {
                removeLocked(id);
            }
        }
        finally {
            lock.writeLock().unlock();
        }
    }

    public void remove(int id) {
        removeAll(new int[] {id});
    }

    private void removeLocked(int id) {
        if (id < 0 || id >= entries.length || entries[id] == null) {
            return;
        }
        SharedFile file = entries[id].file();
        entries[id] = null;
        for (String w : Words.ofPath(file.path())) {
            RoaringBitmap b = postings.get(w);
            if (b != null) {
                b.remove(id);
                if (b.isEmpty()) {
                    postings.remove(w);
                }
            }
        }
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = id;
        files--;
        bytes -= file.size();
    }

    /**
     * At most {@code max} entries whose file has every one of {@code words} and passes
     * {@code filter}, in id order (older shares first). No words: nothing.
     */
    public List<Entry<O>> search(Set<String> words, int max, Predicate<Entry<O>> filter) {
        List<Entry<O>> hits = new ArrayList<>();
        if (words.isEmpty() || max <= 0) {
            return hits;
        }
        lock.readLock().lock();
        try {
            List<RoaringBitmap> lists = new ArrayList<>(words.size());
            for (String w : words) {
                RoaringBitmap b = postings.get(w);
                if (b == null) {
                    return hits;
                }
                lists.add(b);
            }
            RoaringBitmap matches;
            if (lists.size() == 1) {
                matches = lists.get(0);
            }
            else {
                lists.sort(Comparator.comparingLong(RoaringBitmap::getLongCardinality));
                matches = FastAggregation.and(lists.iterator());
            }
            IntIterator it = matches.getIntIterator();
            while (it.hasNext() && hits.size() < max) {
                Entry<O> e = entries[it.next()];
                if (e != null && filter.test(e)) {
                    hits.add(e);
                }
            }
            return hits;
        }
        finally {
            lock.readLock().unlock();
        }
    }

    /** Number of files indexed. */
    public int files() {
        return read(() -> files);
    }

    /** Total size of the files indexed, in bytes. */
    public long bytes() {
        return read(() -> bytes);
    }

    /** Number of distinct words indexed. */
    public int words() {
        return read(postings::size);
    }

    private <T> T read(java.util.function.Supplier<T> what) {
        lock.readLock().lock();
        try {
            return what.get();
        }
        finally {
            lock.readLock().unlock();
        }
    }
}
