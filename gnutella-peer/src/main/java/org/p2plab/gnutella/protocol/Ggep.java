package org.p2plab.gnutella.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * GGEP blocks (the 0.6 draft, section 2.3): magic 0xC3, then extensions, each a flags byte (0x80
 * last, 0x40 COBS-encoded, 0x20 deflated, 0x10 reserved, 0x0F the ID's length), the ID, the
 * data's length in 1-3 bytes of 6 bits each (0x80: more follow, 0x40: the last), and the data.
 * Parsing is bounded by the buffer: a block that runs past it, a reserved bit, an ID of length 0,
 * a length byte with neither continuation bit, or more than 3 length bytes is malformed. The data
 * is kept as it came (encoded or compressed): a servent passes GGEP on, it need not understand it.
 */
public final class Ggep {

    public static final int MAGIC = 0xC3;

    private Ggep() {
    }

    /**
     * One extension.
     *
     * @param id         its ID (ASCII, case-sensitive)
     * @param data       its data as sent
     * @param encoded    COBS-encoded
     * @param compressed deflated
     */
    public record Extension(String id, byte[] data, boolean encoded, boolean compressed) {

        public static Extension of(String id, byte[] data) {
            return new Extension(id, data, false, false);
        }
    }

    /** A parsed block and the offset just after it. */
    public record Block(List<Extension> extensions, int end) {
    }

    /** Parses the block starting at {@code off} (the magic); a {@link MalformedMessageException} if it is not one. */
    public static Block parse(byte[] b, int off, int limit) {
        if (off >= limit || (b[off] & 0xFF) != MAGIC) {
            throw new MalformedMessageException("a GGEP block starts with 0xC3");
        }
        int p = off + 1;
        List<Extension> out = new ArrayList<>();
        while (true) {
            if (p >= limit) {
                throw new MalformedMessageException("a GGEP block ends before its last extension");
            }
            int flags = b[p++] & 0xFF;
            int idLength = flags & 0x0F;
            if ((flags & 0x10) != 0 || idLength == 0) {
                throw new MalformedMessageException("a GGEP extension with a reserved bit or an empty ID");
            }
            if (p + idLength > limit) {
                throw new MalformedMessageException("a GGEP extension's ID runs past the block");
            }
            String id = new String(b, p, idLength, StandardCharsets.ISO_8859_1);
            p += idLength;
            int length = 0;
            int bytes = 0;
            while (true) {
                if (p >= limit) {
                    throw new MalformedMessageException("a GGEP length runs past the block");
                }
                int c = b[p++] & 0xFF;
                if ((c & 0xC0) == 0) {
                    throw new MalformedMessageException("a GGEP length byte has neither continuation bit");
                }
                length = length << 6 | (c & 0x3F);
                if (++bytes > 3) {
                    throw new MalformedMessageException("a GGEP length of more than 3 bytes");
                }
                if ((c & 0x40) != 0) {
                    break;
                }
            }
            if (length > limit - p) {
                throw new MalformedMessageException("a GGEP extension's data runs past the block");
            }
            byte[] data = java.util.Arrays.copyOfRange(b, p, p + length);
            p += length;
            out.add(new Extension(id, data, (flags & 0x40) != 0, (flags & 0x20) != 0));
            if ((flags & 0x80) != 0) {
                return new Block(List.copyOf(out), p);
            }
        }
    }

    /** A block of these extensions (at least one). Their data must not be longer than 262,143 bytes. */
    public static byte[] write(List<Extension> extensions) {
        if (extensions.isEmpty()) {
            throw new IllegalArgumentException("a GGEP block has at least one extension");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC);
        for (int i = 0; i < extensions.size(); i++) {
            Extension e = extensions.get(i);
            byte[] id = e.id().getBytes(StandardCharsets.ISO_8859_1);
            if (id.length < 1 || id.length > 15) {
                throw new IllegalArgumentException("a GGEP ID is 1..15 bytes");
            }
            int flags = id.length | (i == extensions.size() - 1 ? 0x80 : 0) | (e.encoded() ? 0x40 : 0) | (e.compressed() ? 0x20 : 0);
            out.write(flags);
            out.writeBytes(id);
            int n = e.data().length;
            if (n > 0x3FFFF) {
                throw new IllegalArgumentException("GGEP data is at most 262,143 bytes");
            }
            if (n < 64) {
                out.write(0x40 | n);
            }
            else if (n < 4096) {
                out.write(0x80 | n >>> 6);
                out.write(0x40 | n & 0x3F);
            }
            else {
                out.write(0x80 | n >>> 12);
                out.write(0x80 | n >>> 6 & 0x3F);
                out.write(0x40 | n & 0x3F);
            }
            out.writeBytes(e.data());
        }
        return out.toByteArray();
    }
}
