package org.p2plab.gnutella.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The payloads of the Gnutella 0.6 messages, byte for byte as the draft lays them out: lengths,
 * ports, counts and indexes little-endian; IPv4 addresses in network order; a Query's first two
 * bytes a big-endian flags word. Each {@code decode} checks every length against the payload and
 * throws {@link MalformedMessageException}, never an index error.
 */
public final class Messages {

    private Messages() {
    }

    // ---- Ping ----

    /** A Ping: empty, or a GGEP block. */
    public record Ping(List<Ggep.Extension> ggep) {

        public byte[] encode() {
            return ggep.isEmpty() ? new byte[0] : Ggep.write(ggep);
        }

        public static Ping decode(byte[] p) {
            if (p.length == 0) {
                return new Ping(List.of());
            }
            return new Ping(Ggep.parse(p, 0, p.length).extensions());
        }
    }

    // ---- Pong ----

    /** A Pong: where a servent listens and what it shares, and optional GGEP. */
    public record Pong(int port, String ip, long files, long kilobytes, List<Ggep.Extension> ggep) {

        public byte[] encode() {
            byte[] g = ggep.isEmpty() ? new byte[0] : Ggep.write(ggep);
            byte[] out = new byte[14 + g.length];
            Bytes.putShortLe(out, 0, port);
            Bytes.putIp(out, 2, ip);
            Bytes.putIntLe(out, 6, files);
            Bytes.putIntLe(out, 10, kilobytes);
            System.arraycopy(g, 0, out, 14, g.length);
            return out;
        }

        public static Pong decode(byte[] p) {
            if (p.length < 14) {
                throw new MalformedMessageException("a Pong is at least 14 bytes");
            }
            List<Ggep.Extension> ggep = p.length > 14 && (p[14] & 0xFF) == Ggep.MAGIC ? Ggep.parse(p, 14, p.length).extensions()
                    : List.of();
            return new Pong(Bytes.shortLe(p, 0), Bytes.ip(p, 2), Bytes.intLe(p, 6), Bytes.intLe(p, 10), ggep);
        }
    }

    // ---- Query ----

    /** The flags word's bits (read big-endian; bit 15 says the word is flags, not a speed). */
    public static final int FLAG_MARK = 0x8000;
    public static final int FLAG_FIREWALLED = 0x4000;
    public static final int FLAG_XML = 0x2000;
    public static final int FLAG_GGEP_H = 0x0800;

    /**
     * A Query.
     *
     * @param flags    the big-endian flags word (send {@link #FLAG_MARK} set)
     * @param criteria the search words
     * @param urns     HUGE extensions ({@code urn:sha1:...}) asked for
     */
    public record Query(int flags, String criteria, List<String> urns) {

        public byte[] encode() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(flags >>> 8 & 0xFF);
            out.write(flags & 0xFF);
            out.writeBytes(criteria.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            for (int i = 0; i < urns.size(); i++) {
                if (i > 0) {
                    out.write(0x1C);
                }
                out.writeBytes(urns.get(i).getBytes(StandardCharsets.US_ASCII));
            }
            return out.toByteArray();
        }

        public boolean firewalled() {
            return (flags & FLAG_MARK) != 0 && (flags & FLAG_FIREWALLED) != 0;
        }

        public static Query decode(byte[] p) {
            if (p.length < 3) {
                throw new MalformedMessageException("a Query is a flags word and a NUL-terminated string");
            }
            int nul = indexOf(p, 2, p.length, (byte) 0);
            if (nul < 0) {
                throw new MalformedMessageException("a Query's search string is not NUL-terminated");
            }
            String criteria = text(p, 2, nul);
            List<String> urns = new ArrayList<>();
            int i = nul + 1;
            while (i < p.length) {
                if ((p[i] & 0xFF) == Ggep.MAGIC) {
                    i = Ggep.parse(p, i, p.length).end(); // GGEP comes last; parsed to check it, kept as sent when forwarded
                    continue;
                }
                int end = i;
                while (end < p.length && p[end] != 0x1C && p[end] != 0) {
                    end++;
                }
                String ext = new String(p, i, end - i, StandardCharsets.ISO_8859_1);
                if (ext.regionMatches(true, 0, "urn:", 0, 4)) {
                    urns.add(ext);
                }
                i = end + 1; // skips the 0x1C (or a stray NUL some servents add)
            }
            return new Query(Bytes.shortBe(p, 0), criteria, List.copyOf(urns));
        }
    }

    // ---- QueryHit ----

    /**
     * One file of a QueryHit.
     *
     * @param index the servent's index of the file (for {@code GET /get/<index>/<name>})
     * @param size  bytes (a u32 on the wire)
     * @param name  the file's name
     * @param urns  HUGE extensions ({@code urn:sha1:...})
     */
    public record Result(long index, long size, String name, List<String> urns) {
    }

    /**
     * The QueryHit trailer (QHD): the vendor code and the flags a servent sets; null: not said.
     *
     * @param vendor   4 ASCII characters
     * @param push     firewalled: download through a Push
     * @param busy     every upload slot is taken: "I have it, but I am busy"
     * @param uploaded at least one upload has completed
     */
    public record Qhd(String vendor, Boolean push, Boolean busy, Boolean uploaded) {
    }

    /** A QueryHit: where the servent listens, its speed, the results, the QHD and the servent's GUID. */
    public record QueryHit(int port, String ip, long speed, List<Result> results, Qhd qhd, Guid servent) {

        public byte[] encode() {
            if (results.size() > 255) {
                throw new IllegalArgumentException("a QueryHit carries at most 255 results");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] head = new byte[11];
            head[0] = (byte) results.size();
            Bytes.putShortLe(head, 1, port);
            Bytes.putIp(head, 3, ip);
            Bytes.putIntLe(head, 7, speed);
            out.writeBytes(head);
            for (Result r : results) {
                byte[] f = new byte[8];
                Bytes.putIntLe(f, 0, r.index());
                Bytes.putIntLe(f, 4, r.size());
                out.writeBytes(f);
                out.writeBytes(r.name().getBytes(StandardCharsets.UTF_8));
                out.write(0);
                out.writeBytes(String.join("\u001c", r.urns()).getBytes(StandardCharsets.US_ASCII));
                out.write(0);
            }
            if (qhd != null) {
                byte[] vendor = (qhd.vendor() + "    ").substring(0, 4).getBytes(StandardCharsets.US_ASCII);
                out.writeBytes(vendor);
                out.write(2); // open data: two flag bytes
                int enable = 0;
                int set = 0;
                // push: the value in the first byte, the "valid" bit in the second (the draft's reversal)
                if (qhd.push() != null) {
                    set |= 0x01;
                    enable |= qhd.push() ? 0x01 : 0;
                }
                if (qhd.busy() != null) {
                    enable |= 0x04;
                    set |= qhd.busy() ? 0x04 : 0;
                }
                if (qhd.uploaded() != null) {
                    enable |= 0x08;
                    set |= qhd.uploaded() ? 0x08 : 0;
                }
                out.write(enable);
                out.write(set);
            }
            byte[] g = new byte[Guid.LENGTH];
            servent.writeTo(g, 0);
            out.writeBytes(g);
            return out.toByteArray();
        }

        public static QueryHit decode(byte[] p) {
            if (p.length < 11 + Guid.LENGTH) {
                throw new MalformedMessageException("a QueryHit is at least 27 bytes");
            }
            int n = p[0] & 0xFF;
            int end = p.length - Guid.LENGTH;
            int i = 11;
            List<Result> results = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                if (i + 8 > end) {
                    throw new MalformedMessageException("a QueryHit's result " + k + " runs past the payload");
                }
                long index = Bytes.intLe(p, i);
                long size = Bytes.intLe(p, i + 4);
                int nameEnd = indexOf(p, i + 8, end, (byte) 0);
                if (nameEnd < 0) {
                    throw new MalformedMessageException("a QueryHit's file name is not NUL-terminated");
                }
                int extEnd = indexOf(p, nameEnd + 1, end, (byte) 0);
                if (extEnd < 0) {
                    throw new MalformedMessageException("a QueryHit's result extensions are not NUL-terminated");
                }
                List<String> urns = new ArrayList<>();
                for (String ext : new String(p, nameEnd + 1, extEnd - nameEnd - 1, StandardCharsets.ISO_8859_1).split("\u001c")) {
                    if (ext.regionMatches(true, 0, "urn:", 0, 4)) {
                        urns.add(ext);
                    }
                }
                results.add(new Result(index, size, text(p, i + 8, nameEnd), List.copyOf(urns)));
                i = extEnd + 1;
            }
            Qhd qhd = null;
            if (end - i >= 5) {
                String vendor = new String(p, i, 4, StandardCharsets.US_ASCII);
                int open = p[i + 4] & 0xFF;
                if (open >= 2 && i + 5 + 2 <= end) {
                    int b1 = p[i + 5] & 0xFF;
                    int b2 = p[i + 6] & 0xFF;
                    qhd = new Qhd(vendor, (b2 & 0x01) != 0 ? (b1 & 0x01) != 0 : null, (b1 & 0x04) != 0 ? (b2 & 0x04) != 0 : null,
                            (b1 & 0x08) != 0 ? (b2 & 0x08) != 0 : null);
                }
                else {
                    qhd = new Qhd(vendor, null, null, null);
                }
            }
            return new QueryHit(Bytes.shortLe(p, 1), Bytes.ip(p, 3), Bytes.intLe(p, 7), List.copyOf(results), qhd, Guid.of(p, end));
        }
    }

    // ---- Push ----

    /** A Push: the firewalled servent's GUID, the file's index, and where to connect (the requester). */
    public record Push(Guid servent, long index, String ip, int port) {

        public byte[] encode() {
            byte[] out = new byte[26];
            servent.writeTo(out, 0);
            Bytes.putIntLe(out, 16, index);
            Bytes.putIp(out, 20, ip);
            Bytes.putShortLe(out, 24, port);
            return out;
        }

        public static Push decode(byte[] p) {
            if (p.length < 26) {
                throw new MalformedMessageException("a Push is at least 26 bytes");
            }
            if (p.length > 26 && (p[26] & 0xFF) == Ggep.MAGIC) {
                Ggep.parse(p, 26, p.length);
            }
            return new Push(Guid.of(p, 0), Bytes.intLe(p, 16), Bytes.ip(p, 20), Bytes.shortLe(p, 24));
        }
    }

    // ---- Bye ----

    /** A Bye: a code (200 normal, 4xx the peer's fault, 5xx ours) and a NUL-terminated text. */
    public record Bye(int code, String message) {

        public byte[] encode() {
            byte[] m = message.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[2 + m.length + 1];
            Bytes.putShortLe(out, 0, code);
            System.arraycopy(m, 0, out, 2, m.length);
            return out;
        }

        public static Bye decode(byte[] p) {
            if (p.length < 2) {
                throw new MalformedMessageException("a Bye is at least a 2-byte code");
            }
            int nul = indexOf(p, 2, p.length, (byte) 0);
            return new Bye(Bytes.shortLe(p, 0), text(p, 2, nul < 0 ? p.length : nul));
        }
    }

    // ---- helpers ----

    static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    /** UTF-8 if it is, else ISO-8859-1 (the draft: assume ASCII, guess when high bytes appear). */
    static String text(byte[] b, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, from, to - from)).toString();
        }
        catch (CharacterCodingException e) {
            return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
