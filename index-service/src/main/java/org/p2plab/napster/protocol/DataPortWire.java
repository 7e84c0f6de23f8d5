package org.p2plab.napster.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Napster's peer-to-peer transfer exchange on a data port (napster.txt, "Client-Client
 * Protocol"). The side that accepts the connection sends {@code 1}; the connecting side sends
 * {@code GET} and {@code <its nick> "<file>" <offset>} (a download), or {@code SEND} and
 * {@code <its nick> "<file>" <size>} (a push from a firewalled uploader). The uploader answers a
 * GET with the file's size in ASCII digits, then the bytes from the offset; the downloader
 * answers a SEND with the offset in ASCII digits, then reads. Errors are plain text
 * ({@code INVALID REQUEST}, {@code FILE NOT SHARED}) and the connection closes.
 * <p>
 * Nothing ends a request line or a number: a reader takes what has arrived and, once a number
 * has begun, waits {@link #NUMBER_SETTLE_MILLIS} for more digits before taking it as complete
 * (the other side sends it in one write and then waits for the answer, so nothing more comes).
 * These helpers need the socket's read timeout to be settable, so they take a {@link Timeouts}.
 */
public final class DataPortWire {

    public static final String INVALID_REQUEST = "INVALID REQUEST";
    public static final String FILE_NOT_SHARED = "FILE NOT SHARED";
    /** How long a reader waits for one more digit of a number before taking it as complete. */
    public static final int NUMBER_SETTLE_MILLIS = 150;
    static final int MAX_NICK = 64;

    private DataPortWire() {
    }

    /** Sets the stream's socket read timeout (0: none); a stream without a socket may ignore it. */
    @FunctionalInterface
    public interface Timeouts {
        void readTimeout(int millis) throws IOException;
    }

    /** What the connecting side asked: GET or SEND, its nick, the file, and the offset (GET) or size (SEND). */
    public record Request(boolean send, String nick, String path, long number) {
    }

    /** The accepting side's greeting. */
    public static void greet(OutputStream out) throws IOException {
        out.write('1');
        out.flush();
    }

    /** Reads the accepting side's {@code 1}; an IOException if something else comes. */
    public static void expectGreeting(InputStream in) throws IOException {
        int c = in.read();
        if (c != '1') {
            throw new IOException("the data port did not greet with '1' (got " + (c < 0 ? "end of stream" : Integer.toString(c)) + ")");
        }
    }

    /** The connecting side's request: {@code GET} or {@code SEND}, flushed alone, then the line. */
    public static void writeRequest(OutputStream out, boolean send, String nick, String path, long number) throws IOException {
        out.write((send ? "SEND" : "GET").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        out.write((nick + " " + Fields.quote(path) + " " + number).getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads a GET or SEND request on the accepting side. A {@link MalformedFrameException} if it
     * is neither or the line does not parse (the caller answers {@code INVALID REQUEST}).
     */
    public static Request readRequest(InputStream in, Timeouts timeouts, int maxPath) throws IOException {
        byte[] cmd = in.readNBytes(3);
        boolean send;
        if (cmd.length == 3 && cmd[0] == 'G' && cmd[1] == 'E' && cmd[2] == 'T') {
            send = false;
        }
        else if (cmd.length == 3 && cmd[0] == 'S' && cmd[1] == 'E' && cmd[2] == 'N' && in.read() == 'D') {
            send = true;
        }
        else {
            throw new MalformedFrameException("neither GET nor SEND");
        }
        ByteArrayOutputStream nick = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != ' ') {
            if (c < 0 || c == '"' || nick.size() >= MAX_NICK) {
                throw new MalformedFrameException("a bad nick");
            }
            nick.write(c);
        }
        if (nick.size() == 0 || in.read() != '"') {
            throw new MalformedFrameException("the file name is not quoted");
        }
        ByteArrayOutputStream path = new ByteArrayOutputStream();
        while ((c = in.read()) != '"') {
            if (c < 0 || path.size() >= maxPath * 4) {
                throw new MalformedFrameException("the file name is not closed");
            }
            path.write(c);
        }
        if (in.read() != ' ') {
            throw new MalformedFrameException("no number after the file name");
        }
        long number = readNumber(in, timeouts);
        if (number < 0) {
            throw new MalformedFrameException("no number after the file name");
        }
        return new Request(send, nick.toString(StandardCharsets.US_ASCII), FrameReader.decode(path.toByteArray()), number);
    }

    /**
     * Reads an ASCII number that nothing terminates (the offset of a SEND's answer, the number
     * of a request): the digits that arrive, then at most {@link #NUMBER_SETTLE_MILLIS} for more.
     * -1 if what arrives is not a digit (the caller may read an error text then).
     */
    public static long readNumber(InputStream in, Timeouts timeouts) throws IOException {
        long v = 0;
        int digits = 0;
        while (true) {
            int c;
            if (digits > 0 && in.available() == 0) {
                timeouts.readTimeout(NUMBER_SETTLE_MILLIS);
                try {
                    c = in.read();
                }
                catch (SocketTimeoutException e) {
                    break;
                }
                finally {
                    timeouts.readTimeout(0);
                }
            }
            else {
                c = in.read();
            }
            if (c < '0' || c > '9') {
                if (digits == 0) {
                    if (c < 0) {
                        throw new EOFException("the stream ended before a number");
                    }
                    return -1;
                }
                if (c >= 0) {
                    throw new MalformedFrameException("a number is followed by '" + (char) c + "'");
                }
                break;
            }
            if (++digits > 18) {
                throw new MalformedFrameException("a number of more than 18 digits");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The uploader's answer to a GET as the downloader reads it: the size, whose digits are
     * followed at once by the file's bytes. Knowing the size (from the search or browse) the
     * reader takes exactly its digits, which is safe even when the file begins with a digit;
     * without it, digits up to the first non-digit (napster.txt's advice). An IOException with
     * the uploader's text if it answered an error.
     */
    public static long readSize(InputStream in, long expected) throws IOException {
        if (expected >= 0) {
            byte[] want = Long.toString(expected).getBytes(StandardCharsets.US_ASCII);
            byte[] got = in.readNBytes(want.length);
            if (java.util.Arrays.equals(want, got)) {
                return expected;
            }
            throw new IOException("the uploader answered: " + text(got, in));
        }
        long v = 0;
        int digits = 0;
        while (true) {
            in.mark(1);
            int c = in.read();
            if (c < '0' || c > '9' || digits == 18) {
                if (c >= 0) {
                    in.reset();
                }
                break;
            }
            v = v * 10 + (c - '0');
            digits++;
        }
        if (digits == 0) {
            throw new IOException("the uploader answered: " + text(new byte[0], in));
        }
        return v;
    }

    private static String text(byte[] start, InputStream in) throws IOException {
        byte[] rest = in.readNBytes(64 - Math.min(64, start.length));
        byte[] all = new byte[start.length + rest.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(rest, 0, all, start.length, rest.length);
        return new String(all, StandardCharsets.US_ASCII).strip();
    }

    /** Writes a plain-text error and flushes (the caller closes). */
    public static void writeError(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Writes an ASCII number (a GET's size, a SEND's offset) and flushes. */
    public static void writeNumber(OutputStream out, long v) throws IOException {
        out.write(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
