package org.p2plab.gnutella.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

import org.p2plab.gnutella.protocol.Base32;
import org.p2plab.gnutella.protocol.Library;

/**
 * The files of the shared directory, each in the {@link Library} under a stable index with its
 * SHA-1 (for {@code urn:sha1:} queries and {@code /uri-res/N2R}). Files added through the API are
 * written to the directory first (under a temporary name, then moved), so what is shared is
 * always what is on disk; {@link #rescan} picks up files copied in or deleted by hand.
 */
public final class SharedFiles {

    /** The longest name a shared file may have (bytes of UTF-8), as most file systems allow. */
    public static final int MAX_NAME = 255;

    /** Where a file is and what the library calls it. */
    public record Entry(Library.SharedFile file, Path path) {
    }

    private final Path dir;
    private final Library library;
    private final long maxFileSize;
    private final Map<String, Entry> byName = new HashMap<>();
    private final Map<Long, Entry> byIndex = new HashMap<>();

    public SharedFiles(Path dir, Library library, long maxFileSize) {
        this.dir = dir;
        this.library = library;
        this.maxFileSize = maxFileSize;
        try {
            Files.createDirectories(dir);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create the shared directory " + dir, e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Library library() {
        return library;
    }

    /** Shares the regular files of the directory not yet shared, and stops sharing those gone. */
    public synchronized void rescan() throws IOException {
        java.util.Set<String> present = new java.util.HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!Files.isRegularFile(p) || name.startsWith(".") || !validName(name)) {
                    continue;
                }
                present.add(name);
                Entry e = byName.get(name);
                try {
                    long size = Files.size(p);
                    if (e != null && e.file().size() == size) {
                        continue;
                    }
                    String sha1;
                    sha1 = sha1(p);
                    if (e != null) {
                        forget(e);
                    }
                    remember(library.add(name, size, sha1), p);
                }
                catch (IOException x) { // unreadable, or gone meanwhile: the others are shared all the same
                    present.remove(name);
                }
            }
        }
        for (Entry e : java.util.List.copyOf(byName.values())) {
            if (!present.contains(e.file().name())) {
                forget(e);
            }
        }
    }

    /**
     * Writes {@code content} to the directory as {@code name} and shares it.
     *
     * @throws IllegalArgumentException   a name that is not a plain file name
     * @throws FileAlreadyExistsException a file of that name is shared already
     * @throws TooLargeException          more than the limit
     */
    public Entry add(String name, InputStream content) throws IOException {
        if (!validName(name)) {
            throw new IllegalArgumentException("a shared file's name is a plain file name (no '/', '\\', control characters, "
                    + "not '.' or '..', at most " + MAX_NAME + " bytes)");
        }
        Path tmp = Files.createTempFile(dir, ".upload-", ".part");
        try {
            String sha1;
            long size;
            try (OutputStream out = Files.newOutputStream(tmp)) {
                sha1 = sha1(content, out, maxFileSize);
            }
            size = Files.size(tmp);
            synchronized (this) {
                Path target = dir.resolve(name);
                if (byName.containsKey(name) || Files.exists(target)) {
                    throw new FileAlreadyExistsException(name);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return remember(library.add(name, size, sha1), target);
            }
        }
        finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Stops sharing {@code index} and deletes its file; false if there is no such file. */
    public synchronized boolean remove(long index) throws IOException {
        Entry e = byIndex.get(index);
        if (e == null) {
            return false;
        }
        forget(e);
        Files.deleteIfExists(e.path());
        return true;
    }

    public synchronized Entry get(long index) {
        return byIndex.get(index);
    }

    public synchronized Entry bySha1(String sha1) {
        Library.SharedFile f = library.bySha1(sha1);
        return f == null ? null : byIndex.get(f.index());
    }

    private Entry remember(Library.SharedFile f, Path p) {
        Entry e = new Entry(f, p);
        byName.put(f.name(), e);
        byIndex.put(f.index(), e);
        return e;
    }

    private void forget(Entry e) {
        byName.remove(e.file().name());
        byIndex.remove(e.file().index());
        library.remove(e.file().index());
    }

    /** A plain file name: no path separators, no control characters, not "." or "..", at most 255 bytes. */
    public static boolean validName(String name) {
        return name != null && !name.isBlank() && !name.equals(".") && !name.equals("..")
                && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= MAX_NAME
                && name.chars().noneMatch(c -> c < 32 || c == 127 || c == '/' || c == '\\');
    }

    /** Copies {@code in} to {@code out} (if not null) and returns its SHA-1 in base32; {@link TooLargeException} past the limit. */
    /** The SHA-1 of a file, in base32 (the HUGE {@code urn:sha1:} form). */
    public static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return sha1(in, null, Long.MAX_VALUE);
        }
    }

    private static String sha1(InputStream in, OutputStream out, long maxFileSize) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-1");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (DigestInputStream d = new DigestInputStream(in, md)) {
            int n;
            while ((n = d.read(buf)) > 0) {
                total += n;
                if (out != null && total > maxFileSize) {
                    throw new TooLargeException(maxFileSize);
                }
                if (out != null) {
                    out.write(buf, 0, n);
                }
            }
        }
        return Base32.encode(md.digest());
    }

    /** A file bigger than the limit was offered. */
    public static final class TooLargeException extends IOException {
        public TooLargeException(long limit) {
            super("a shared file is at most " + limit + " bytes");
        }
    }
}
