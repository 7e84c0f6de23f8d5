package org.p2plab.overcast.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;
import org.p2plab.overcast.content.ContentItem;
import org.p2plab.overcast.content.ContentStore;
import org.p2plab.overcast.content.TokenBucket;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * Writes content and probe objects through a node's serving-rate {@link TokenBucket}, in small
 * chunks, so that a limited node really serves slowly and concurrent transfers share its rate.
 * Content answers one byte range ({@code Range: bytes=N-} or {@code bytes=N-M}): how a pull
 * cut off half-way resumes.
 */
public final class ContentResponses {

    static final int CHUNK = 8 * 1024;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,18})-(\\d{0,18})");
    private static final byte[] PATTERN = new byte[CHUNK];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) ('a' + i % 26);
        }
    }

    private ContentResponses() {
    }

    /** The first and last byte a Range header asks for, or null for the whole item (no header, or one this does not read). */
    static long[] range(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches()) {
            return null; // RFC 9110 §14.2: a server may ignore a Range it does not understand
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
        if (first >= size || last < first) {
            if (first == 0 && size == 0) {
                return null;
            }
            throw ProblemException.of(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range-not-satisfiable",
                    "the item has " + size + " bytes; the range '" + header + "' holds none of them").with("size", size);
        }
        return new long[] {first, last};
    }

    /** Writes {@code item} (or the asked range of it); the bytes written. A client that goes away ends it quietly. */
    public static long write(String rangeHeader, HttpServletResponse response, ContentItem item, ContentStore store,
                             TokenBucket bucket) throws IOException {
        long[] r = range(rangeHeader, item.size());
        long first = r == null ? 0 : r[0];
        long length = r == null ? item.size() : r[1] - r[0] + 1;
        InputStream in = store.open(item, first);
        try (in) {
            response.setStatus(r == null ? 200 : 206);
            if (r != null) {
                response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + r[0] + "-" + r[1] + "/" + item.size());
            }
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(length);
            response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
            response.setHeader(HttpHeaders.ETAG, "\"" + item.sha256() + "\"");
            response.setHeader(HttpOvercastPeer.SHA256_HEADER, item.sha256());
            return pace(in, length, response, bucket);
        }
    }

    /** Writes {@code size} bytes of the probe object, paced by {@code bucket}. */
    public static long probe(long size, HttpServletResponse response, TokenBucket bucket) throws IOException {
        response.setStatus(200);
        response.setContentType("application/octet-stream");
        response.setContentLengthLong(size);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        return pace(null, size, response, bucket);
    }

    /** Copies {@code length} bytes (from {@code in}, or of the probe pattern) chunk by chunk, each after its tokens. */
    private static long pace(InputStream in, long length, HttpServletResponse response, TokenBucket bucket) throws IOException {
        response.flushBuffer(); // the headers go now: the receiver times the body alone
        OutputStream out = response.getOutputStream();
        byte[] buf = in == null ? PATTERN : new byte[CHUNK];
        long sent = 0;
        while (sent < length) {
            int n = (int) Math.min(CHUNK, length - sent);
            if (in != null) {
                n = in.readNBytes(buf, 0, n);
                if (n <= 0) {
                    throw new IOException("the stored item ended early");
                }
            }
            bucket.acquire(n);
            try {
                out.write(buf, 0, n);
            }
            catch (IOException e) {
                return sent; // the receiver went away (a probe cut short, a client that closed): nothing to answer
            }
            sent += n;
        }
        try {
            out.flush();
        }
        catch (IOException e) {
            // as above
        }
        return sent;
    }
}
