package org.p2plab.overcast.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A node's content on disk: {@code <dir>/<group>/<name>.data} once complete and checked, with
 * its {@link ContentItem} in {@code <name>.meta}; {@code <name>.part} while it arrives, so that
 * a pull cut off half-way resumes where it stopped. Complete items are immutable. Survives a
 * restart (the index is read back from the .meta files).
 */
public final class ContentStore {

    /** The result of a publish: the item, and whether it was new. */
    public record Published(ContentItem item, boolean created) {
    }

    /** The same name was published before with other bytes. */
    public static final class ConflictException extends RuntimeException {
        public ConflictException(String message) {
            super(message);
        }
    }

    /** The body was larger than allowed. */
    public static final class TooLargeException extends RuntimeException {
        public TooLargeException(String message) {
            super(message);
        }
    }

    private final Path dir;
    private final ConcurrentMap<String, ContentItem> items = new ConcurrentHashMap<>();
    private final Object publishing = new Object();

    public ContentStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> groups = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path g : groups) {
                    try (DirectoryStream<Path> metas = Files.newDirectoryStream(g, "*.meta")) {
                        for (Path m : metas) {
                            readMeta(m).filter(i -> Files.isRegularFile(data(i))).ifPresent(i -> items.put(i.key(), i));
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot use the content directory " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Every complete item, by group then name. */
    public List<ContentItem> items() {
        return items.values().stream().sorted(Comparator.comparing(ContentItem::group).thenComparing(ContentItem::name)).toList();
    }

    public Optional<ContentItem> item(String group, String name) {
        return Optional.ofNullable(items.get(group + "/" + name));
    }

    public boolean holds(ContentItem item) {
        ContentItem mine = items.get(item.key());
        return mine != null && mine.sha256().equals(item.sha256());
    }

    /** Bytes of {@code item} received so far toward completing it (0 if none). */
    public long partial(ContentItem item) {
        try {
            Path p = part(item);
            return Files.isRegularFile(p) ? Files.size(p) : 0;
        }
        catch (IOException e) {
            return 0;
        }
    }

    /** Appends to {@code item}'s partial file from {@code offset} (0: starts over). */
    public OutputStream append(ContentItem item, long offset) throws IOException {
        Files.createDirectories(part(item).getParent());
        if (offset == 0) {
            return Files.newOutputStream(part(item), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        }
        if (partial(item) != offset) {
            throw new IOException("the partial file of " + item.key() + " has " + partial(item) + " bytes, not " + offset);
        }
        return Files.newOutputStream(part(item), StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /**
     * Checks the partial file against {@code item} (size, then SHA-256): complete and checked, it
     * becomes the item; longer or with another checksum, it is discarded (false); shorter, it waits
     * for more (false).
     */
    public boolean complete(ContentItem item) throws IOException {
        Path part = part(item);
        long have = partial(item);
        if (have < item.size()) {
            return false;
        }
        String sha = have == item.size() ? sha256(part) : "";
        if (!sha.equals(item.sha256())) {
            Files.deleteIfExists(part);
            return false;
        }
        commit(item, part);
        return true;
    }

    /** The root's publish: the body (at most {@code maxSize} bytes) becomes {@code group/name}. */
    public Published publish(String group, String name, InputStream body, long maxSize, long now) throws IOException {
        Path g = dir.resolve(ContentItem.requireName(group, "group"));
        ContentItem.requireName(name, "content name");
        Files.createDirectories(g);
        Path tmp = Files.createTempFile(g, "." + name, ".upload");
        try {
            MessageDigest digest = sha256();
            long size;
            try (InputStream in = new DigestInputStream(body, digest);
                 OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                size = copy(in, out, maxSize);
            }
            ContentItem item = new ContentItem(group, name, size, HexFormat.of().formatHex(digest.digest()), now);
            synchronized (publishing) {
                ContentItem existing = items.get(item.key());
                if (existing != null) {
                    if (existing.sha256().equals(item.sha256())) {
                        return new Published(existing, false);
                    }
                    throw new ConflictException(group + "/" + name + " was published before with other content (sha256 "
                            + existing.sha256() + "); content is immutable: publish it under a new name");
                }
                commit(item, tmp);
                return new Published(item, true);
            }
        }
        finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads a complete item from {@code offset}. */
    public InputStream open(ContentItem item, long offset) throws IOException {
        InputStream in = Files.newInputStream(data(item));
        in.skipNBytes(offset);
        return in;
    }

    /** Bytes held in complete items. */
    public long bytes() {
        return items.values().stream().mapToLong(ContentItem::size).sum();
    }

    private void commit(ContentItem item, Path from) throws IOException {
        Path meta = meta(item);
        Properties p = new Properties();
        p.setProperty("group", item.group());
        p.setProperty("name", item.name());
        p.setProperty("size", Long.toString(item.size()));
        p.setProperty("sha256", item.sha256());
        p.setProperty("publishedAt", Long.toString(item.publishedAt()));
        move(from, data(item));
        Path tmpMeta = meta.resolveSibling(meta.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmpMeta)) {
            p.store(out, "overcast content item");
        }
        move(tmpMeta, meta);
        items.put(item.key(), item);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Optional<ContentItem> readMeta(Path meta) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
            return Optional.of(new ContentItem(p.getProperty("group"), p.getProperty("name"), Long.parseLong(p.getProperty("size")),
                    p.getProperty("sha256"), Long.parseLong(p.getProperty("publishedAt"))));
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged .meta: the item is pulled again
        }
    }

    private static long copy(InputStream in, OutputStream out, long maxSize) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) >= 0; ) {
            total += n;
            if (total > maxSize) {
                throw new TooLargeException("the content is larger than the limit of " + maxSize + " bytes");
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Path data(ContentItem i) {
        return dir.resolve(i.group()).resolve(i.name() + ".data");
    }

    private Path part(ContentItem i) {
        return dir.resolve(i.group()).resolve(i.name() + ".part");
    }

    private Path meta(ContentItem i) {
        return dir.resolve(i.group()).resolve(i.name() + ".meta");
    }
}
