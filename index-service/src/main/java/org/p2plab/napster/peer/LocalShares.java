package org.p2plab.napster.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.p2plab.napster.protocol.SharedFile;

/**
 * The files of the shared directory as Napster describes them: the path under the directory's
 * name with Windows separators ({@code share\sub\song.mp3}, the form the clients of 2000 showed
 * and searched), the MD5 of the first 300,000 bytes (as the Linux nap client hashed), the size,
 * and for an MP3 its bitrate, sample rate and duration from the first frame header (0 for other
 * files). {@link #rescan} compares the directory with the last scan.
 */
public final class LocalShares {

    /** Bytes of a file the MD5 covers (nap 0.7-0.9: exactly 300,000). */
    static final int MD5_BYTES = 300_000;
    private static final int[] MPEG1_L3_KBPS = {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0};
    private static final int[] MPEG1_RATES = {44100, 48000, 32000, 0};

    /** One shared file: where it is on disk and how it is announced. */
    public record Local(Path file, SharedFile shared, long modified) {
    }

    /** What changed since the last scan: new files, files whose size or time changed, files gone. */
    public record Changes(List<SharedFile> added, List<SharedFile> changed, List<String> removed) {
        public boolean isEmpty() {
            return added.isEmpty() && changed.isEmpty() && removed.isEmpty();
        }
    }

    private final Path dir;
    private final String prefix;
    private volatile Map<String, Local> byPath = Map.of();

    public LocalShares(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        Path name = this.dir.getFileName();
        this.prefix = (name == null ? "share" : name.toString()) + "\\";
    }

    public Path dir() {
        return dir;
    }

    /** The shared file announced as {@code path}, or null: only what was announced can be fetched. */
    public Local get(String path) {
        return byPath.get(path);
    }

    public List<Local> all() {
        return List.copyOf(byPath.values());
    }

    /** Scans the directory again; the files that appeared or changed (re-announced) and those that left. */
    public synchronized Changes rescan() throws IOException {
        Map<String, Local> now = new HashMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS))::iterator) {
                    String rel = dir.relativize(p).toString().replace('/', '\\');
                    String path = prefix + rel;
                    if (path.indexOf('"') >= 0 || path.chars().anyMatch(c -> c < 0x20) || path.length() > SharedFile.MAX_PATH) {
                        continue; // a name Napster cannot carry
                    }
                    long modified = Files.getLastModifiedTime(p).toMillis();
                    long size = Files.size(p);
                    Local old = byPath.get(path);
                    if (old != null && old.modified() == modified && old.shared().size() == size) {
                        now.put(path, old);
                    }
                    else {
                        now.put(path, new Local(p, describe(p, path, size), modified));
                    }
                }
            }
        }
        Map<String, Local> before = byPath;
        List<SharedFile> added = now.values().stream().filter(l -> !before.containsKey(l.shared().path())).map(Local::shared).toList();
        List<SharedFile> changed = now.values().stream().filter(l -> before.containsKey(l.shared().path()) && before.get(l.shared().path()) != l)
                .map(Local::shared).toList();
        List<String> removed = before.keySet().stream().filter(p -> !now.containsKey(p)).toList();
        byPath = Map.copyOf(now);
        return new Changes(added, changed, removed);
    }

    static SharedFile describe(Path file, String path, long size) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MD5_BYTES);
        }
        String md5;
        try {
            md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(head));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        int[] mp3 = mp3Header(head);
        int bitrate = mp3 == null ? 0 : mp3[0];
        int freq = mp3 == null ? 0 : mp3[1];
        int seconds = bitrate == 0 ? 0 : (int) (size * 8 / (bitrate * 1000L));
        return new SharedFile(path, md5, size, bitrate, freq, seconds);
    }

    /** {kbps, Hz} of the first MPEG-1 Layer III frame header (after an ID3v2 tag), or null. */
    static int[] mp3Header(byte[] b) {
        int i = 0;
        if (b.length >= 10 && b[0] == 'I' && b[1] == 'D' && b[2] == '3') {
            i = 10 + ((b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | b[9] & 0x7F);
        }
        for (int end = Math.min(b.length - 4, i + 4096); i <= end && i >= 0; i++) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFE) == 0xFA) { // sync, MPEG-1, Layer III
                int kbps = MPEG1_L3_KBPS[(b[i + 2] & 0xF0) >>> 4];
                int rate = MPEG1_RATES[(b[i + 2] & 0x0C) >>> 2];
                if (kbps > 0 && rate > 0) {
                    return new int[] {kbps, rate};
                }
            }
        }
        return null;
    }
}
