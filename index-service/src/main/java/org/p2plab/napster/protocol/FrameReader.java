package org.p2plab.napster.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads Napster frames from a stream. A payload longer than the limit is read past (the length is
 * a u16, so at most 65535 bytes are skipped, never buffered) and reported as
 * {@link TooLong}, so the stream stays in step and the connection can answer an error.
 * Payloads are UTF-8; bytes that are not (the Windows clients of 2000 sent their code page) are
 * read as windows-1252, so every payload decodes.
 */
public final class FrameReader {

    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    private final InputStream in;
    private final int maxPayload;

    /** A frame, or a frame whose payload was longer than the limit. */
    public sealed interface Result permits Ok, TooLong {
    }

    public record Ok(Frame frame) implements Result {
    }

    public record TooLong(int type, int length) implements Result {
    }

    public FrameReader(InputStream in, int maxPayload) {
        if (maxPayload < 0 || maxPayload > 0xFFFF) {
            throw new IllegalArgumentException("maxPayload is 0..65535, got " + maxPayload);
        }
        this.in = in;
        this.maxPayload = maxPayload;
    }

    /** The next frame; null at a clean end of stream (between frames); EOFException in the middle of one. */
    public Result read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        byte[] rest = in.readNBytes(3);
        if (rest.length < 3) {
            throw new EOFException("the stream ended inside a frame header");
        }
        int length = b0 | (rest[0] & 0xFF) << 8;
        int type = (rest[1] & 0xFF) | (rest[2] & 0xFF) << 8;
        if (length > maxPayload) {
            in.skipNBytes(length); // EOFException if the stream ends first
            return new TooLong(type, length);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("the stream ended inside a frame");
        }
        return new Ok(new Frame(type, decode(body)));
    }

    /** UTF-8 if the bytes are, else windows-1252 (every byte maps to a character). */
    public static String decode(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        }
        catch (CharacterCodingException e) {
            return new String(body, WINDOWS_1252);
        }
    }
}
