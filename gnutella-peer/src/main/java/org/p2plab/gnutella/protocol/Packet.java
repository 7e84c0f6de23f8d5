package org.p2plab.gnutella.protocol;

/**
 * One Gnutella message as it travels: the 23-byte header's fields and the raw payload. Routing
 * needs only the header (and a few payload fields); a forwarded message keeps its payload byte
 * for byte, extensions it does not understand included.
 *
 * @param guid    the message id
 * @param type    the payload type (0x00 Ping, 0x01 Pong, 0x02 Bye, 0x40 Push, 0x80 Query, 0x81 QueryHit)
 * @param ttl     hops it may still travel
 * @param hops    hops it has travelled
 * @param payload the payload
 */
public record Packet(Guid guid, int type, int ttl, int hops, byte[] payload) {

    public static final int HEADER = 23;
    public static final int PING = 0x00;
    public static final int PONG = 0x01;
    public static final int BYE = 0x02;
    public static final int PUSH = 0x40;
    public static final int QUERY = 0x80;
    public static final int QUERY_HIT = 0x81;

    public Packet {
        if (type < 0 || type > 255 || ttl < 0 || ttl > 255 || hops < 0 || hops > 255) {
            throw new IllegalArgumentException("type, TTL and hops are bytes");
        }
    }

    /** The same message one hop further: TTL - 1 (not below 0), hops + 1 (not above 255). */
    public Packet forwarded() {
        return new Packet(guid, type, Math.max(0, ttl - 1), Math.min(255, hops + 1), payload);
    }

    /** This message with its TTL lowered to {@code ttl}. */
    public Packet withTtl(int newTtl) {
        return new Packet(guid, type, newTtl, hops, payload);
    }

    /** The header and the payload, as on the wire. */
    public byte[] encode() {
        byte[] out = new byte[HEADER + payload.length];
        guid.writeTo(out, 0);
        out[16] = (byte) type;
        out[17] = (byte) ttl;
        out[18] = (byte) hops;
        Bytes.putIntLe(out, 19, payload.length);
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    /** A readable name of the type, for counters. */
    public static String typeName(int type) {
        return switch (type) {
            case PING -> "ping";
            case PONG -> "pong";
            case BYE -> "bye";
            case PUSH -> "push";
            case QUERY -> "query";
            case QUERY_HIT -> "query_hit";
            case Qrp.ROUTE_TABLE_UPDATE -> "route_table_update";
            default -> "other";
        };
    }

    @Override
    public String toString() {
        return typeName(type) + " " + guid + " ttl=" + ttl + " hops=" + hops + " (" + payload.length + " bytes)";
    }
}
