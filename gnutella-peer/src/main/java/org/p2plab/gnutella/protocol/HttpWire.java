package org.p2plab.gnutella.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP a servent speaks on its Gnutella port for file transfer: request and status lines with
 * their headers (the same bounded line reader as the handshake), {@code Range} parsing, the
 * {@code /get/<index>/<name>} and {@code /uri-res/N2R?urn:sha1:...} request targets, and the
 * {@code GIV} line of a push.
 */
public final class HttpWire {

    /** A request: {@code GET /get/1/song.mp3 HTTP/1.1} and its headers. */
    public record Request(String method, String target, String version, Headers headers) {
    }

    /** A status line and headers. */
    public record Response(String version, int code, String reason, Headers headers) {
    }

    /** A byte range, both ends included. */
    public record Range(long first, long last) {

        public long length() {
            return last - first + 1;
        }
    }

    /** What a request target names: a file by index and name, or by content hash. */
    public record Target(long index, String name, String sha1) {
    }

    /** The {@code GIV <index>:<servent GUID hex>/<name>} line a pushing servent starts with. */
    public record Giv(long index, Guid servent, String name) {

        public String wire() {
            return "GIV " + index + ":" + servent.hex() + "/" + name + "\n\n";
        }
    }

    /** A Range header no part of which lies inside the file: 416. */
    public static final class Unsatisfiable extends Exception {
        public Unsatisfiable(String m) {
            super(m);
        }
    }

    private HttpWire() {
    }

    public static Request readRequest(InputStream in) throws IOException {
        int[] budget = {Handshake.MAX_BYTES};
        String start = Handshake.line(in, budget);
        // method, target, version: the target is everything between the first and the last space, as
        // servents sent file names with their spaces unencoded (GET /get/3/My Song.mp3 HTTP/1.0)
        int first = start.indexOf(' ');
        int last = start.lastIndexOf(' ');
        if (first <= 0 || last <= first + 1) {
            throw new MalformedMessageException("not an HTTP request line");
        }
        String method = start.substring(0, first);
        String target = start.substring(first + 1, last);
        String version = start.substring(last + 1);
        if (!method.matches("[A-Z]{1,16}") || !version.matches("HTTP/\\d\\.\\d") || !target.startsWith("/")) {
            throw new MalformedMessageException("not an HTTP request line");
        }
        return new Request(method, target, version, headers(in, budget));
    }

    public static Response readResponse(InputStream in) throws IOException {
        int[] budget = {Handshake.MAX_BYTES};
        String start = Handshake.line(in, budget);
        String[] p = start.split(" ", 3);
        if (p.length < 2 || !p[0].matches("HTTP/\\d\\.\\d") || !p[1].matches("\\d{3}")) {
            throw new MalformedMessageException("not an HTTP status line");
        }
        return new Response(p[0], Integer.parseInt(p[1]), p.length > 2 ? p[2] : "", headers(in, budget));
    }

    private static Headers headers(InputStream in, int[] budget) throws IOException {
        Headers h = new Headers();
        for (int n = 0; ; n++) {
            String l = Handshake.line(in, budget);
            if (l.isEmpty()) {
                return h;
            }
            if (n >= Handshake.MAX_LINES) {
                throw new MalformedMessageException("more than " + Handshake.MAX_LINES + " header lines");
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMessageException("a header line without a name and a colon");
            }
            h.add(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
        }
    }

    /**
     * The range a {@code Range} header asks of a file of {@code size} bytes: null for none (or
     * one this servent ignores, as RFC 9110 allows: several ranges, another unit), the whole
     * satisfiable part otherwise (an end beyond the file is cut to it).
     */
    public static Range range(String header, long size) throws Unsatisfiable {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6) || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) { // the last b bytes
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) {
                    throw new Unsatisfiable("bytes=-" + b + " of a " + size + "-byte file");
                }
                return new Range(Math.max(0, size - n), size - 1);
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : Long.parseLong(b);
            if (first < 0 || last < first) {
                return null; // syntactically invalid: ignored
            }
            if (first >= size) {
                throw new Unsatisfiable("bytes=" + spec + " of a " + size + "-byte file");
            }
            return new Range(first, Math.min(last, size - 1));
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * What {@code /get/<index>/<name>} or {@code /uri-res/N2R?urn:sha1:<base32>} names; null for
     * any other target. The name may be URL-encoded or not.
     */
    public static Target target(String t) {
        if (t.startsWith("/get/")) {
            int slash = t.indexOf('/', 5);
            if (slash < 0) {
                return null;
            }
            try {
                long index = Long.parseLong(t.substring(5, slash));
                if (index < 0 || index > 0xFFFFFFFFL) {
                    return null;
                }
                return new Target(index, decode(t.substring(slash + 1)), null);
            }
            catch (NumberFormatException e) {
                return null;
            }
        }
        String n2r = "/uri-res/N2R?";
        if (t.regionMatches(true, 0, n2r, 0, n2r.length())) {
            String urn = decode(t.substring(n2r.length()));
            if (urn.regionMatches(true, 0, "urn:sha1:", 0, 9) && urn.length() == 9 + 32) {
                return new Target(-1, null, urn.substring(9).toUpperCase(java.util.Locale.ROOT));
            }
        }
        return null;
    }

    /** The name part of {@code /get/<index>/<name>}, encoded as the servents of 2002 did (spaces as %20). */
    public static String encodeName(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A URL-encoded name decoded; a name with a bare {@code %} (not encoded after all) is taken as it is. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Parses a GIV line (without its line ends). */
    public static Giv giv(String line) {
        if (!line.startsWith("GIV ")) {
            throw new MalformedMessageException("not a GIV line");
        }
        String rest = line.substring(4);
        int colon = rest.indexOf(':');
        int slash = rest.indexOf('/');
        if (colon <= 0 || slash != colon + 33) {
            throw new MalformedMessageException("GIV <index>:<32 hex digits>/<name>");
        }
        try {
            long index = Long.parseLong(rest.substring(0, colon));
            Guid g = Guid.parse(rest.substring(colon + 1, slash));
            return new Giv(index, g, rest.substring(slash + 1));
        }
        catch (IllegalArgumentException e) {
            throw new MalformedMessageException("GIV <index>:<32 hex digits>/<name>");
        }
    }

    /** One line of at most {@link Handshake#MAX_LINE} bytes (the GIV line). */
    public static String line(InputStream in) throws IOException {
        return Handshake.line(in, new int[] {Handshake.MAX_LINE + 2});
    }
}
