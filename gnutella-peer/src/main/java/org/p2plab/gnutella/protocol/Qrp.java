package org.p2plab.gnutella.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The Query Routing Protocol (Rohrs, "Query Routing for the Gnutella Network", v1.0, 2002;
 * {@code X-Query-Routing: 0.1}): a leaf tells its ultrapeers which keywords its files have, as a
 * table of 2^bits slots indexed by a hash of each keyword, and the ultrapeer forwards a query to
 * the leaf only when every word of it hashes to a slot the leaf filled.
 * <ul>
 * <li>ROUTE_TABLE_UPDATE (0x30, TTL 1, hops 0). RESET: {@code 00}, the table length (entries,
 * a power of 2, u32 little-endian), infinity. PATCH: {@code 01}, seq_no (from 1), seq_size,
 * compressor (0 none, 1 zlib), entry bits (4 or 8), data.</li>
 * <li>The patch is the table as signed deltas against the previous one (all infinity after a
 * RESET), 4-bit entries two to a byte, the first in the high nibble; compressed as one zlib stream
 * (when that is shorter), then cut into chunks.</li>
 * <li>A keyword is present when its slot's value is below infinity; like LimeWire's and
 * gtk-gnutella's receivers, this one looks only at a delta's sign (negative: present, positive:
 * absent).</li>
 * <li>The hash: the lower-cased UTF-16 units' low bytes XORed into a 32-bit word, 4 to a word,
 * little-endian; times 0x4F1BBCDC modulo 2^32; the top {@code bits} bits.</li>
 * </ul>
 */
public final class Qrp {

    /** The message type. */
    public static final int ROUTE_TABLE_UPDATE = 0x30;
    /** The table size this servent sends: 2^16 entries, as the draft's experiment and LimeWire did. */
    public static final int DEFAULT_BITS = 16;
    /** LimeWire's infinity: a keyword present is 1, absent 7. */
    public static final int INFINITY = 7;
    /** The largest table accepted (2^21 entries, as gtk-gnutella). */
    public static final int MAX_BITS = 21;
    /** The smallest table accepted (8 entries: the draft's own examples use one). */
    public static final int MIN_BITS = 3;
    /** Bytes of compressed patch per PATCH message (the draft's 1 KB). */
    public static final int CHUNK = 1024;

    private Qrp() {
    }

    /** The QRP hash of {@code s} into {@code bits} bits. */
    public static int hash(String s, int bits) {
        int x = 0;
        for (int i = 0; i < s.length(); i++) {
            int b = Character.toLowerCase(s.charAt(i)) & 0xFF;
            x ^= b << (8 * (i & 3));
        }
        return bits == 0 ? 0 : (x * 0x4F1BBCDC) >>> (32 - bits);
    }

    /**
     * The keywords a file puts in the table: each word of its name (as {@link Library#words}), and
     * for words longer than 4 characters the word less its last one and last two characters (as
     * LimeWire and Shareaza, so that a query for "beatle" finds "beatles"); and its
     * {@code urn:sha1:}.
     */
    public static Set<String> keywords(Library.SharedFile f) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : Library.words(f.name())) {
            out.add(w);
            if (w.length() > 4) {
                out.add(w.substring(0, w.length() - 1));
                out.add(w.substring(0, w.length() - 2));
            }
        }
        if (f.urn() != null) {
            out.add(f.urn().toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** A route table: which of its 2^bits slots are present. */
    public static final class Table {
        private final int bits;
        private final BitSet present;

        Table(int bits, BitSet present) {
            this.bits = bits;
            this.present = present;
        }

        /** The table of these files. */
        public static Table of(Collection<Library.SharedFile> files, int bits) {
            BitSet b = new BitSet(1 << bits);
            for (Library.SharedFile f : files) {
                for (String k : keywords(f)) {
                    b.set(hash(k, bits));
                }
            }
            return new Table(bits, b);
        }

        /** A table with these slots present (tests). */
        static Table ofSlots(int bits, int... slots) {
            BitSet b = new BitSet(1 << bits);
            for (int s : slots) {
                b.set(s);
            }
            return new Table(bits, b);
        }

        public int bits() {
            return bits;
        }

        public int size() {
            return 1 << bits;
        }

        public boolean present(int slot) {
            return present.get(slot);
        }

        /** Slots present. */
        public int filled() {
            return present.cardinality();
        }

        /**
         * Whether a query may have a hit behind this table: one of its URNs is present, or every
         * one of its words is (a servent answers a file that matches either way). A query with
         * neither matches nothing.
         */
        public boolean matches(Set<String> words, List<String> urns) {
            for (String u : urns) {
                if (present.get(hash(u.toLowerCase(java.util.Locale.ROOT), bits))) {
                    return true;
                }
            }
            if (words.isEmpty()) {
                return false;
            }
            for (String w : words) {
                if (!present.get(hash(w, bits))) {
                    return false;
                }
            }
            return true;
        }

        /** The payloads that send this table: a RESET, then the PATCH sequence (4-bit entries, zlib when shorter). */
        public List<byte[]> payloads() {
            List<byte[]> out = new ArrayList<>();
            int n = size();
            byte[] reset = new byte[6];
            reset[0] = 0;
            Bytes.putIntLe(reset, 1, n);
            reset[5] = INFINITY;
            out.add(reset);
            byte[] data = new byte[n / 2];
            byte delta = (byte) ((1 - INFINITY) & 0x0F); // present: 1 - infinity, as a 4-bit two's complement
            for (int i = present.nextSetBit(0); i >= 0; i = present.nextSetBit(i + 1)) {
                data[i / 2] |= (byte) ((i & 1) == 0 ? delta << 4 : delta);
            }
            byte[] z = deflate(data);
            boolean zlib = z.length < data.length;
            byte[] body = zlib ? z : data;
            int chunk = Math.max(CHUNK, (body.length + 254) / 255);
            int count = Math.max(1, (body.length + chunk - 1) / chunk);
            for (int seq = 1; seq <= count; seq++) {
                int from = (seq - 1) * chunk;
                int len = Math.min(chunk, body.length - from);
                byte[] p = new byte[5 + len];
                p[0] = 1;
                p[1] = (byte) seq;
                p[2] = (byte) count;
                p[3] = (byte) (zlib ? 1 : 0);
                p[4] = 4;
                System.arraycopy(body, from, p, 5, len);
                out.add(p);
            }
            return out;
        }
    }

    static byte[] deflate(byte[] data) {
        Deflater d = new Deflater();
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        }
        finally {
            d.end();
        }
    }

    /**
     * An ultrapeer's side: the RESET and PATCH messages of one leaf, applied as they come. A
     * message that breaks the rules (a PATCH before a RESET, a sequence number out of order, a
     * table that is not a power of 2 or too big, data past the table's end, a sequence that ends
     * short, bad zlib) is a {@link MalformedMessageException}: the caller forgets the table and
     * starts over at the next RESET.
     */
    public static final class Receiver {
        private int bits = -1;
        private int infinity;
        private BitSet present;
        private int seqSize;
        private int nextSeq;
        private int compressor;
        private int entryBits;
        private int slot;
        private Inflater inflater;
        private Table complete;

        /**
         * Applies one ROUTE_TABLE_UPDATE payload; returns the table when a PATCH sequence ends
         * with it (else null).
         */
        public Table onMessage(byte[] p) {
            if (p.length < 1) {
                throw new MalformedMessageException("an empty route table update");
            }
            if (p[0] == 0) {
                reset(p);
                return null;
            }
            if (p[0] == 1) {
                return patch(p);
            }
            throw new MalformedMessageException("a route table update is RESET (0) or PATCH (1), not " + (p[0] & 0xFF));
        }

        /** The last complete table (null before the first). */
        public Table table() {
            return complete;
        }

        private void reset(byte[] p) {
            end();
            if (p.length != 6) {
                throw fail("a RESET is 6 bytes");
            }
            long n = Bytes.intLe(p, 1);
            if (n < (1 << MIN_BITS) || n > (1 << MAX_BITS) || Long.bitCount(n) != 1) {
                throw fail("a table of " + n + " entries: a power of 2 from 2^" + MIN_BITS + " to 2^" + MAX_BITS);
            }
            int inf = p[5] & 0xFF;
            if (inf < 1) {
                throw fail("infinity below 1");
            }
            bits = Long.numberOfTrailingZeros(n);
            infinity = inf;
            present = new BitSet((int) n);
            nextSeq = 1;
            slot = 0;
        }

        private Table patch(byte[] p) {
            if (bits < 0) {
                throw fail("a PATCH before any RESET");
            }
            if (p.length < 5) {
                throw fail("a PATCH has a 5-byte header");
            }
            int seq = p[1] & 0xFF;
            int size = p[2] & 0xFF;
            int comp = p[3] & 0xFF;
            int eb = p[4] & 0xFF;
            if (seq != nextSeq || size < 1 || seq > size) {
                throw fail("PATCH " + seq + "/" + size + " where " + nextSeq + " was due");
            }
            if (seq == 1) {
                if (comp > 1 || (eb != 4 && eb != 8)) {
                    throw fail("compressor 0 or 1 and entry bits 4 or 8, not " + comp + " and " + eb);
                }
                seqSize = size;
                compressor = comp;
                entryBits = eb;
                slot = 0;
                if (comp == 1) {
                    inflater = new Inflater();
                }
            }
            else if (size != seqSize || comp != compressor || eb != entryBits) {
                throw fail("a PATCH sequence changed its size, compressor or entry bits");
            }
            byte[] data = java.util.Arrays.copyOfRange(p, 5, p.length);
            if (compressor == 1) {
                data = inflate(data);
            }
            apply(data);
            nextSeq = seq + 1;
            if (seq < seqSize) {
                return null;
            }
            if (slot != (1 << bits)) {
                throw fail("the PATCH sequence covered " + slot + " of " + (1 << bits) + " entries");
            }
            end();
            nextSeq = 1;
            complete = new Table(bits, (BitSet) present.clone());
            return complete;
        }

        private byte[] inflate(byte[] in) {
            int room = (1 << bits) * entryBits / 8 - slot * entryBits / 8; // what the rest of the table can take
            inflater.setInput(in);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                while (true) {
                    int n = inflater.inflate(buf);
                    if (n == 0) {
                        if (inflater.needsDictionary()) {
                            throw fail("a zlib dictionary");
                        }
                        break; // needs more input (the next PATCH), or finished
                    }
                    out.write(buf, 0, n);
                    if (out.size() > room) {
                        throw fail("the PATCH inflates past the table's end");
                    }
                }
            }
            catch (DataFormatException e) {
                throw fail("bad zlib data: " + e.getMessage());
            }
            return out.toByteArray();
        }

        private void apply(byte[] data) {
            int n = 1 << bits;
            int per = entryBits == 4 ? 2 : 1;
            if ((long) slot + (long) data.length * per > n) {
                throw fail("the PATCH goes past the table's end");
            }
            for (byte b : data) {
                if (entryBits == 8) {
                    set(slot++, b);
                }
                else {
                    set(slot++, (byte) (b >> 4));            // high nibble first, sign-extended
                    set(slot++, (byte) ((byte) (b << 4) >> 4));
                }
            }
        }

        private void set(int at, byte delta) {
            if (delta < 0) {
                present.set(at);
            }
            else if (delta > 0) {
                present.clear(at);
            }
        }

        private MalformedMessageException fail(String why) {
            end();
            bits = -1;
            return new MalformedMessageException("QRP: " + why);
        }

        private void end() {
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
        }

        /** The infinity of the last RESET. */
        public int infinity() {
            return infinity;
        }
    }
}
