package org.p2plab.overcast.content;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

import org.p2plab.overlay.PeerUnavailableException;

/**
 * How content flows down an Overcast tree: a node asks its parent what it holds (its catalog:
 * only complete, checked items) and pulls whatever it lacks into its {@link ContentStore},
 * resuming a partial item where it stopped (from the same parent or a new one: the item is the
 * same everywhere) and checking its SHA-256 before it becomes part of the node's own catalog.
 * So content goes down level by level, and a node never serves what it does not wholly hold.
 * Plain Java.
 */
public final class ContentSync {

    /** What a node asks of its parent. Either call may throw {@link PeerUnavailableException}. */
    public interface Source {
        /** Every complete item {@code parent} holds. */
        List<ContentItem> catalog(String parent);

        /** Writes {@code item}'s bytes from {@code offset} to the end into {@code out}. */
        void pull(String parent, ContentItem item, long offset, OutputStream out) throws IOException;
    }

    /** What one pass did. */
    public record Result(int pulled, int failed, long bytes) {
    }

    private final ContentStore store;
    private final Source source;
    private final java.util.concurrent.ConcurrentMap<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();
    private long bytesIn;
    private long checksumFailures;

    public ContentSync(ContentStore store, Source source) {
        this.store = store;
        this.source = source;
    }

    /** Pulls from {@code parent} every item it holds that this node lacks. */
    public Result sync(String parent) {
        int pulled = 0;
        int failed = 0;
        long before = bytesIn();
        for (ContentItem item : source.catalog(parent)) {
            if (store.holds(item)) {
                continue;
            }
            if (pull(parent, item)) {
                pulled++;
            }
            else {
                failed++;
            }
        }
        return new Result(pulled, failed, bytesIn() - before);
    }

    /** {@code group/name} now, from {@code parent} if this node lacks it: empty if the parent does not hold it either. */
    public Optional<ContentItem> fetch(String parent, String group, String name) {
        Optional<ContentItem> mine = store.item(group, name);
        if (mine.isPresent()) {
            return mine;
        }
        Optional<ContentItem> theirs = source.catalog(parent).stream()
                .filter(i -> i.group().equals(group) && i.name().equals(name)).findFirst();
        if (theirs.isEmpty()) {
            return Optional.empty();
        }
        if (!pull(parent, theirs.get())) {
            throw new PeerUnavailableException(parent, "the pull of " + theirs.get().key() + " did not complete");
        }
        return theirs;
    }

    /** One item; true once it is complete and checked. A cut-off pull leaves its partial file to resume from. */
    private boolean pull(String parent, ContentItem item) {
        synchronized (locks.computeIfAbsent(item.key(), k -> new Object())) { // one pull per item at a time (a sync pass and a client's fetch may meet)
            if (store.holds(item)) {
                return true;
            }
            long offset = store.partial(item);
            if (offset > item.size()) {
                offset = 0;
            }
            try (CountingStream out = new CountingStream(store.append(item, offset))) {
                if (offset < item.size()) {
                    try {
                        source.pull(parent, item, offset, out);
                    }
                    finally {
                        synchronized (this) {
                            bytesIn += out.count;
                        }
                    }
                }
            }
            catch (IOException e) {
                throw new PeerUnavailableException(parent, "the pull of " + item.key() + " broke off: " + e.getMessage(), e);
            }
            try {
                if (store.complete(item)) {
                    return true;
                }
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (store.partial(item) == 0) {
                synchronized (this) {
                    checksumFailures++;
                }
            }
            return false;
        }
    }

    public synchronized long bytesIn() {
        return bytesIn;
    }

    /** Items whose bytes did not match their SHA-256 (discarded and pulled again). */
    public synchronized long checksumFailures() {
        return checksumFailures;
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
