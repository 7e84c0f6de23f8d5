package org.p2plab.overcast.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.overlay.PeerUnavailableException;

/** Content on disk and down the tree: publish, pull, resume a cut-off pull, refuse bad bytes. */
class ContentStoreTest {

    @TempDir
    Path dir;

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(ContentStore s, ContentItem i) throws IOException {
        try (InputStream in = s.open(i, 0)) {
            return in.readAllBytes();
        }
    }

    /** A parent whose pulls deliver {@code data} and can be told to break off after some bytes. */
    static final class Parent implements ContentSync.Source {
        final ContentStore store;
        long breakAfter = Long.MAX_VALUE;
        byte[] corrupt;
        final List<Long> offsets = new ArrayList<>();

        Parent(ContentStore store) {
            this.store = store;
        }

        @Override
        public List<ContentItem> catalog(String parent) {
            return store.items();
        }

        @Override
        public void pull(String parent, ContentItem item, long offset, OutputStream out) throws IOException {
            offsets.add(offset);
            byte[] all = corrupt != null ? corrupt : read(store, item);
            long end = Math.min(all.length, offset + Math.min(breakAfter, all.length));
            out.write(all, (int) offset, (int) (end - offset));
            if (end < all.length) {
                throw new PeerUnavailableException(parent, "connection reset");
            }
        }
    }

    @Test
    void publishedContentIsImmutableAndSurvivesARestart() throws IOException {
        ContentStore root = new ContentStore(dir.resolve("root"));
        byte[] data = bytes(10_000, 1);
        ContentStore.Published p = root.publish("lecture", "intro.bin", new ByteArrayInputStream(data), 1 << 20, 42);
        assertThat(p.created()).isTrue();
        assertThat(p.item().size()).isEqualTo(10_000);
        assertThat(root.publish("lecture", "intro.bin", new ByteArrayInputStream(data), 1 << 20, 43).created())
                .as("the same bytes again").isFalse();
        assertThatThrownBy(() -> root.publish("lecture", "intro.bin", new ByteArrayInputStream(bytes(10, 2)), 1 << 20, 44))
                .isInstanceOf(ContentStore.ConflictException.class);
        assertThatThrownBy(() -> root.publish("lecture", "big.bin", new ByteArrayInputStream(bytes(2000, 3)), 1000, 45))
                .isInstanceOf(ContentStore.TooLargeException.class);
        assertThat(root.item("lecture", "big.bin")).isEmpty();
        ContentStore reopened = new ContentStore(dir.resolve("root"));
        assertThat(reopened.items()).containsExactly(p.item());
        assertThat(read(reopened, p.item())).isEqualTo(data);
    }

    @Test
    void aPullCutOffHalfWayResumesWhereItStopped() throws IOException {
        ContentStore root = new ContentStore(dir.resolve("root"));
        byte[] data = bytes(100_000, 4);
        root.publish("g", "a.bin", new ByteArrayInputStream(data), 1 << 20, 1);
        Parent parent = new Parent(root);
        parent.breakAfter = 30_000;
        ContentStore child = new ContentStore(dir.resolve("child"));
        ContentSync sync = new ContentSync(child, parent);
        assertThatThrownBy(() -> sync.sync("p")).isInstanceOf(PeerUnavailableException.class);
        ContentItem item = root.items().getFirst();
        assertThat(child.holds(item)).isFalse();
        assertThat(child.partial(item)).isEqualTo(30_000);
        parent.breakAfter = Long.MAX_VALUE;
        assertThat(sync.sync("p").pulled()).isEqualTo(1);
        assertThat(parent.offsets).containsExactly(0L, 30_000L);
        assertThat(child.holds(item)).isTrue();
        assertThat(read(child, item)).isEqualTo(data);
        assertThat(sync.bytesIn()).isEqualTo(100_000);
        assertThat(sync.sync("p").pulled()).as("nothing left to pull").isZero();
    }

    @Test
    void bytesThatDoNotMatchTheChecksumAreDiscardedAndPulledAgain() throws IOException {
        ContentStore root = new ContentStore(dir.resolve("root"));
        byte[] data = bytes(5_000, 5);
        root.publish("g", "a.bin", new ByteArrayInputStream(data), 1 << 20, 1);
        Parent parent = new Parent(root);
        parent.corrupt = data.clone();
        parent.corrupt[1234] ^= 1;
        ContentStore child = new ContentStore(dir.resolve("child"));
        ContentSync sync = new ContentSync(child, parent);
        ContentSync.Result r = sync.sync("p");
        assertThat(r.failed()).isEqualTo(1);
        ContentItem item = root.items().getFirst();
        assertThat(child.holds(item)).isFalse();
        assertThat(child.partial(item)).as("discarded").isZero();
        assertThat(sync.checksumFailures()).isEqualTo(1);
        parent.corrupt = null;
        assertThat(sync.sync("p").pulled()).isEqualTo(1);
        assertThat(read(child, item)).isEqualTo(data);
    }

    @Test
    void aMissingItemIsFetchedOnDemandAndAnUnknownOneIsEmpty() throws IOException {
        ContentStore root = new ContentStore(dir.resolve("root"));
        root.publish("g", "a.bin", new ByteArrayInputStream(bytes(100, 6)), 1 << 20, 1);
        ContentSync sync = new ContentSync(new ContentStore(dir.resolve("child")), new Parent(root));
        assertThat(sync.fetch("p", "g", "a.bin")).isPresent();
        assertThat(sync.fetch("p", "g", "nope.bin")).isEmpty();
    }

    @Test
    void namesAreCheckedBeforeTheyTouchTheDisk() {
        assertThatThrownBy(() -> ContentItem.requireName("../etc", "group")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContentItem.requireName(".hidden", "group")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContentItem.requireName("a/b", "group")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ContentItem.requireName("intro-1.mp4", "content name")).isEqualTo("intro-1.mp4");
    }

    @Test
    void theTokenBucketSpreadsBytesOverTimeAtItsRate() {
        long[] now = {0};
        TokenBucket b = new TokenBucket(1000, 100, () -> now[0]);
        assertThat(b.take(100)).as("the burst").isZero();
        assertThat(b.take(500)).as("500 bytes of debt at 1000 B/s").isEqualTo(500_000_000L);
        now[0] += 1_000_000_000L; // a second later the debt is paid and 500 more tokens came, capped at the burst
        assertThat(b.take(100)).isZero();
        b.setRate(0);
        assertThat(b.take(1_000_000)).as("unlimited").isZero();
        assertThatThrownBy(() -> b.setRate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
