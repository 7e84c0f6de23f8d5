package org.p2plab.publius.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.p2plab.publius.protocol.PubliusCrypto;
import org.p2plab.publius.protocol.PubliusName;
import org.p2plab.publius.protocol.PubliusServerPeer.Piece;
import org.p2plab.publius.protocol.PubliusServerPeer.Refusal;
import org.p2plab.publius.protocol.PubliusServerPeer.RefusedException;
import org.p2plab.publius.protocol.PubliusServerPeer.ServerStatus;
import org.p2plab.publius.protocol.PubliusUrl;
import org.p2plab.publius.protocol.Share;

/**
 * A Publius server's disk: one directory per name, as in the paper's {@code /publius/<name>/},
 * holding
 * <ul>
 *   <li>{@code file}: the encrypted document {@code {M}K};</li>
 *   <li>{@code piece.properties}: the share, {@code H(server_domain . PW)}, and the file's size
 *       and SHA-256 (taken when stored, so a file changed on disk later shows as corrupt);</li>
 *   <li>{@code update}: after an update, the new URL (the file and share are then gone).</li>
 * </ul>
 * A directory appears whole or not at all (written aside, then renamed). The server enforces a
 * per-document limit and a total limit on stored bytes (the paper's disk-filling threat);
 * deletes and updates need the password hash stored with the piece. Plain Java, thread-safe.
 */
public final class PieceStore {

    static final String FILE = "file";
    static final String META = "piece.properties";
    static final String UPDATE = "update";
    private static final String STAGING = ".staging";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Path root;
    private final long maxDocumentBytes;
    private final long maxStoredBytes;
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong names = new AtomicLong();
    private final Object lock = new Object();

    public PieceStore(Path root, long maxDocumentBytes, long maxStoredBytes) {
        if (maxDocumentBytes <= 0 || maxStoredBytes <= 0) {
            throw new IllegalArgumentException("the storage limits must be positive");
        }
        this.root = root;
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxStoredBytes = maxStoredBytes;
        try {
            Files.createDirectories(root);
            deleteTree(root.resolve(STAGING));
            Files.createDirectories(root.resolve(STAGING));
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(d -> PubliusName.isValid(d.getFileName().toString())).forEach(d -> {
                    names.incrementAndGet();
                    storedBytes.addAndGet(sizeOf(d));
                });
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as the Publius data directory", e);
        }
    }

    public Path root() {
        return root;
    }

    /** The directory of a name (whether or not it exists): where an operator, or a test, finds the files. */
    public Path directory(PubliusName name) {
        return root.resolve(name.hex());
    }

    public void store(PubliusName name, byte[] file, String shareText, String passwordHash) {
        checkHash(passwordHash);
        try {
            Share.decode(shareText);
        }
        catch (IllegalArgumentException e) {
            throw new RefusedException(Refusal.INVALID, "the share is malformed: " + e.getMessage());
        }
        if (file.length == 0) {
            throw new RefusedException(Refusal.INVALID, "the encrypted file is empty");
        }
        if (file.length > maxDocumentBytes) {
            throw new RefusedException(Refusal.TOO_LARGE, "the file has " + file.length
                    + " bytes; this server stores at most " + maxDocumentBytes + " per document");
        }
        Path dir = directory(name);
        if (Files.exists(dir)) {
            throw new RefusedException(Refusal.EXISTS, "name " + name + " is already stored here");
        }
        Properties meta = new Properties();
        meta.setProperty("share", shareText.strip());
        meta.setProperty("password", passwordHash);
        meta.setProperty("size", Long.toString(file.length));
        meta.setProperty("sha256", PubliusCrypto.sha256Hex(file));
        long size = file.length;
        reserve(size);
        boolean moved = false;
        Path staging = root.resolve(STAGING).resolve(name.hex() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(staging);
            Files.write(staging.resolve(FILE), file);
            meta.setProperty("mtime", Files.getLastModifiedTime(staging.resolve(FILE)).toString());
            writeMeta(staging, meta);
            synchronized (lock) {
                if (Files.exists(dir)) {
                    throw new RefusedException(Refusal.EXISTS, "name " + name + " is already stored here");
                }
                move(staging, dir);
                names.incrementAndGet();
                moved = true;
                // the metadata counts too
                storedBytes.addAndGet(sizeOf(dir) - size);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot store " + name, e);
        }
        finally {
            if (!moved) {
                storedBytes.addAndGet(-size);
                deleteTree(staging);
            }
        }
    }

    private void reserve(long size) {
        synchronized (lock) {
            if (storedBytes.get() + size > maxStoredBytes) {
                throw new RefusedException(Refusal.STORAGE_FULL, "this server holds " + storedBytes.get()
                        + " bytes of at most " + maxStoredBytes + "; " + size + " more do not fit");
            }
            storedBytes.addAndGet(size);
        }
    }

    /** What is stored under a name, empty if nothing. */
    public Optional<Piece> piece(PubliusName name) {
        Path dir = directory(name);
        Properties meta = readMeta(dir);
        String update = readUpdate(dir);
        if (meta == null && update == null) {
            return Optional.empty();
        }
        FileState file = meta == null ? null : fileState(dir, meta);
        return Optional.of(new Piece(meta == null ? null : meta.getProperty("share"), update,
                file == null ? 0 : file.size(), file == null ? null : file.sha256()));
    }

    private record FileState(long size, String sha256) {
    }

    /**
     * The file's size and SHA-256 as it is on disk now: the digest recorded at store time while
     * the file keeps its size and modification time, else hashed again. So a file changed on
     * disk (a failing disk, an operator) shows a different digest to retrievers, who then know
     * it is corrupt without downloading it.
     */
    private static FileState fileState(Path dir, Properties meta) {
        Path f = dir.resolve(FILE);
        try {
            long size = Files.size(f);
            String mtime = Files.getLastModifiedTime(f).toString();
            if (Long.toString(size).equals(meta.getProperty("size")) && mtime.equals(meta.getProperty("mtime"))
                    && meta.getProperty("sha256") != null) {
                return new FileState(size, meta.getProperty("sha256"));
            }
            try (InputStream in = Files.newInputStream(f)) {
                return new FileState(size, PubliusCrypto.sha256Hex(in));
            }
        }
        catch (NoSuchFileException e) {
            return null;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored file, for streaming; {@link Refusal#NOT_FOUND} if none. */
    public Path file(PubliusName name) {
        Path f = directory(name).resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new RefusedException(Refusal.NOT_FOUND, "no file stored under name " + name);
        }
        return f;
    }

    public InputStream openFile(PubliusName name) {
        try {
            return Files.newInputStream(file(name));
        }
        catch (NoSuchFileException e) {
            throw new RefusedException(Refusal.NOT_FOUND, "no file stored under name " + name);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void delete(PubliusName name, String passwordHash) {
        checkHash(passwordHash);
        synchronized (lock) {
            Path dir = directory(name);
            checkPassword(name, dir, passwordHash);
            long size = sizeOf(dir);
            Path trash = root.resolve(STAGING).resolve("deleted-" + name.hex() + "-" + UUID.randomUUID());
            try {
                move(dir, trash);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + name, e);
            }
            names.decrementAndGet();
            storedBytes.addAndGet(-size);
            deleteTree(trash);
        }
    }

    /** The paper's update on this server: the file and share go, an update file holding {@code newUrl} stays. */
    public void update(PubliusName name, String passwordHash, String newUrl) {
        checkHash(passwordHash);
        try {
            PubliusUrl.parse(newUrl);
        }
        catch (IllegalArgumentException e) {
            throw new RefusedException(Refusal.INVALID, "the new URL is not a Publius URL: " + e.getMessage());
        }
        synchronized (lock) {
            Path dir = directory(name);
            Properties meta = checkPassword(name, dir, passwordHash);
            try {
                long before = sizeOf(dir);
                Path tmp = dir.resolve(UPDATE + ".tmp");
                Files.writeString(tmp, newUrl, StandardCharsets.UTF_8);
                move(tmp, dir.resolve(UPDATE));
                Properties kept = new Properties();
                kept.setProperty("password", meta.getProperty("password"));
                writeMeta(dir, kept);
                Files.deleteIfExists(dir.resolve(FILE));
                storedBytes.addAndGet(sizeOf(dir) - before);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot update " + name, e);
            }
        }
    }

    public ServerStatus status() {
        return new ServerStatus(names.get(), storedBytes.get(), maxStoredBytes, maxDocumentBytes);
    }

    public long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    private Properties checkPassword(PubliusName name, Path dir, String passwordHash) {
        Properties meta = readMeta(dir);
        if (meta == null) {
            throw new RefusedException(Refusal.NOT_FOUND, "nothing is stored under name " + name);
        }
        if (!PubliusCrypto.sameHash(meta.getProperty("password"), passwordHash)) {
            throw new RefusedException(Refusal.WRONG_PASSWORD, "the password does not match the one name " + name + " was published with");
        }
        return meta;
    }

    private static void checkHash(String passwordHash) {
        if (passwordHash == null || !HASH.matcher(passwordHash).matches()) {
            throw new RefusedException(Refusal.INVALID, "a password hash is 64 lower-case hex digits (SHA-256 of server_domain.PW)");
        }
    }

    private static Properties readMeta(Path dir) {
        Path f = dir.resolve(META);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
            return p;
        }
        catch (NoSuchFileException e) {
            return null;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readUpdate(Path dir) {
        try {
            return Files.readString(dir.resolve(UPDATE), StandardCharsets.UTF_8).strip();
        }
        catch (NoSuchFileException e) {
            return null;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeMeta(Path dir, Properties meta) throws IOException {
        Path tmp = dir.resolve(META + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            meta.store(out, "Publius piece");
        }
        move(tmp, dir.resolve(META));
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
        catch (FileAlreadyExistsException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        catch (NoSuchFileException e) {
            return 0;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
