package org.p2plab.gnutella.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads Gnutella messages from a stream: the 23-byte header, then the payload, whose length is
 * checked against the limit before a byte of it is allocated. A longer one cannot be skipped
 * safely (the draft: the length is the only way to the next message, and an absurd one means
 * the stream is out of step), so it is an {@link TooLarge} and the connection ends with a Bye.
 */
public final class PacketReader {

    /** A payload length beyond the limit. */
    public static final class TooLarge extends IOException {
        private final long length;

        TooLarge(long length, int limit) {
            super("a payload of " + length + " bytes (the limit is " + limit + ")");
            this.length = length;
        }

        public long length() {
            return length;
        }
    }

    private final InputStream in;
    private final int maxPayload;

    public PacketReader(InputStream in, int maxPayload) {
        this.in = in;
        this.maxPayload = maxPayload;
    }

    /** The next message; null at a clean end of stream between messages. */
    public Packet read() throws IOException {
        byte[] h = new byte[Packet.HEADER];
        int n = in.readNBytes(h, 0, Packet.HEADER);
        if (n == 0) {
            return null;
        }
        if (n < Packet.HEADER) {
            throw new EOFException("the stream ended inside a message header");
        }
        long length = Bytes.intLe(h, 19);
        if (length > maxPayload) {
            throw new TooLarge(length, maxPayload);
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            throw new EOFException("the stream ended inside a message");
        }
        return new Packet(Guid.of(h, 0), h[16] & 0xFF, h[17] & 0xFF, h[18] & 0xFF, payload);
    }
}
