package org.p2plab.gnutella.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The 0.6 handshake's messages: a start line ({@code GNUTELLA CONNECT/0.6}, or a status line
 * {@code GNUTELLA/0.6 200 OK}) and a header block ending with an empty line. Lines end with CRLF
 * (a bare LF is accepted); lengths are bounded so that a peer cannot make the reader hold more
 * than {@link #MAX_BYTES}.
 */
public final class Handshake {

    public static final int MAX_LINE = 4096;
    public static final int MAX_LINES = 128;
    public static final int MAX_BYTES = 32 * 1024;

    /**
     * One handshake message.
     *
     * @param connect true for {@code GNUTELLA CONNECT/x.y}, false for a status line
     * @param version the protocol version named ("0.6")
     * @param code    a status line's code (0 for a CONNECT)
     * @param reason  a status line's text
     * @param headers the header block
     */
    public record Message(boolean connect, String version, int code, String reason, Headers headers) {

        /** A CONNECT line and headers, as on the wire. */
        public static String connect(Headers h) {
            return "GNUTELLA CONNECT/0.6\r\n" + h.toWire();
        }

        /** A status line and headers, as on the wire. */
        public static String status(int code, String reason, Headers h) {
            return "GNUTELLA/0.6 " + code + " " + reason + "\r\n" + h.toWire();
        }
    }

    private Handshake() {
    }

    /** Reads one handshake message; a {@link MalformedMessageException} if it is not one. */
    public static Message read(InputStream in) throws IOException {
        int[] budget = {MAX_BYTES};
        String start = line(in, budget);
        Message first = startLine(start);
        Headers headers = new Headers();
        String name = null;
        StringBuilder value = null;
        for (int n = 0; ; n++) {
            if (n > MAX_LINES) {
                throw new MalformedMessageException("more than " + MAX_LINES + " header lines");
            }
            String l = line(in, budget);
            if (l.isEmpty()) {
                break;
            }
            if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
                if (name == null) {
                    throw new MalformedMessageException("a continuation line before any header");
                }
                value.append(' ').append(l.strip());
                continue;
            }
            if (name != null) {
                headers.add(name, value.toString());
            }
            int colon = l.indexOf(':');
            if (colon <= 0) {
                throw new MalformedMessageException("a header line without a name and a colon");
            }
            name = l.substring(0, colon).strip();
            if (name.isEmpty() || name.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new MalformedMessageException("a header name with spaces or control characters");
            }
            value = new StringBuilder(l.substring(colon + 1).strip());
        }
        if (name != null) {
            headers.add(name, value.toString());
        }
        return new Message(first.connect(), first.version(), first.code(), first.reason(), headers);
    }

    static Message startLine(String s) {
        if (s.startsWith("GNUTELLA CONNECT/")) {
            String v = s.substring("GNUTELLA CONNECT/".length()).strip();
            if (!v.matches("\\d+\\.\\d+")) {
                throw new MalformedMessageException("a CONNECT line without a version");
            }
            return new Message(true, v, 0, "", null);
        }
        if (s.startsWith("GNUTELLA/")) {
            String[] p = s.split(" ", 3);
            if (p.length < 2 || !p[0].substring("GNUTELLA/".length()).matches("\\d+\\.\\d+") || !p[1].matches("\\d{3}")) {
                throw new MalformedMessageException("a status line is GNUTELLA/x.y <code> <text>");
            }
            return new Message(false, p[0].substring("GNUTELLA/".length()), Integer.parseInt(p[1]), p.length > 2 ? p[2] : "", null);
        }
        throw new MalformedMessageException("not a Gnutella handshake line");
    }

    /** One line without its CRLF (or LF), ISO-8859-1. */
    static String line(InputStream in, int[] budget) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the handshake ended in the middle of a line");
            }
            if (--budget[0] < 0) {
                throw new MalformedMessageException("a handshake of more than " + MAX_BYTES + " bytes");
            }
            if (c == '\n') {
                break;
            }
            if (b.size() >= MAX_LINE) {
                throw new MalformedMessageException("a handshake line of more than " + MAX_LINE + " bytes");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
