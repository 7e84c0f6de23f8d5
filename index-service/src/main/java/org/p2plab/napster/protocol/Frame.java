package org.p2plab.napster.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One Napster message: a type and its payload. On the wire: the payload's length (u16,
 * little-endian), the type (u16, little-endian), then the payload, ASCII text of space-separated
 * fields in which file names are quoted.
 *
 * @param type    the message type (0..65535)
 * @param payload the payload text (UTF-8 on the wire)
 */
public record Frame(int type, String payload) {

    public Frame {
        if (type < 0 || type > 0xFFFF) {
            throw new IllegalArgumentException("a Napster message type is a u16, got " + type);
        }
        payload = payload == null ? "" : payload;
    }

    /** This frame's bytes on the wire. */
    public byte[] encode() {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        if (body.length > 0xFFFF) {
            throw new IllegalArgumentException("a Napster payload is at most 65535 bytes, got " + body.length);
        }
        byte[] out = new byte[4 + body.length];
        out[0] = (byte) body.length;
        out[1] = (byte) (body.length >>> 8);
        out[2] = (byte) type;
        out[3] = (byte) (type >>> 8);
        System.arraycopy(body, 0, out, 4, body.length);
        return out;
    }

    /** The payload split into fields ({@link Fields#split}). */
    public java.util.List<String> fields() {
        return Fields.split(payload);
    }

    @Override
    public String toString() {
        return type + " " + payload;
    }
}
