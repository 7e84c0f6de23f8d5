package org.p2plab.napster.protocol;

/**
 * One shared file as a Napster client describes it (100, 870, 201, 212).
 *
 * @param path      the path as the sharer names it (Windows clients: {@code C:\mp3\song.mp3});
 *                  the downloader asks for exactly this
 * @param md5       the client's content token (the MD5 of the first 300,000 bytes, with the size
 *                  appended by some clients; TekNap sends {@code NOMD5COMPUTED} in 870)
 * @param size      bytes
 * @param bitrate   kbit/s (0 for a file that is not an MP3)
 * @param frequency sample rate in Hz
 * @param length    duration in seconds
 */
public record SharedFile(String path, String md5, long size, int bitrate, int frequency, int length) {

    /** The longest path a share may have (Windows' MAX_PATH was 260). */
    public static final int MAX_PATH = 1024;
    /** The largest size: Napster's sizes are unsigned 32-bit numbers. */
    public static final long MAX_SIZE = 0xFFFFFFFFL;

    public SharedFile {
        if (path == null || path.isEmpty() || path.length() > MAX_PATH) {
            throw new IllegalArgumentException("a shared file's path is 1.." + MAX_PATH + " characters");
        }
        if (path.indexOf('"') >= 0 || path.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("a shared file's path has no double quote and no control character");
        }
        if (md5 == null || md5.isEmpty() || md5.length() > 64 || md5.indexOf(' ') >= 0 || md5.indexOf('"') >= 0) {
            throw new IllegalArgumentException("a shared file's md5 is 1..64 characters without spaces or quotes");
        }
        if (size < 0 || size > MAX_SIZE || bitrate < 0 || frequency < 0 || length < 0) {
            throw new IllegalArgumentException("a shared file's size is 0..4294967295 and its bitrate, frequency and length >= 0");
        }
    }

    /** The name after the last {@code \} or {@code /}. */
    public String fileName() {
        int i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        return path.substring(i + 1);
    }
}
