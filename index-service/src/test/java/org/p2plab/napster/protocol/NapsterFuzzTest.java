package org.p2plab.napster.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * A property test of the Napster server side (frame decoder and connection): 100,000 random and
 * mutated inputs, each on a fresh connection to one shared index. Whatever arrives, no exception
 * escapes, nothing above type 2000 is sent, a bad frame gets an error reply (0 and a close before
 * login, 404 after) and no input reaches the "server error" path (a bug); the index still answers
 * correctly afterwards. Seeded: a failure names the case to replay. (jqwik does not run on the
 * JUnit Platform 6 that Spring Boot 4 brings, so the generator is written out here.)
 */
public class NapsterFuzzTest {

    public static final long SEED = 0x5eed_2026L;
    static final int CASES = 100_000;
    static final int MAX_PAYLOAD = 2048;

    /** The types a logged-in connection handles; anything else must get a 404. */
    static final Set<Integer> HANDLED = Set.of(2, 4, 6, 14, 100, 102, 110, 200, 203, 207, 208, 211, 214, 218, 219, 220, 221, 303,
            316, 500, 600, 603, 608, 619, 621, 700, 701, 702, 703, 750, 751, 752, 870, 920);

    /** Valid frames to mutate. */
    static final List<Frame> SEEDS = List.of(
            new Frame(2, "fuzz pw 6699 \"nap v0.8\" 3"),
            new Frame(6, "fuzz pw 6699 \"nap v0.8\" 3 a@b.c"),
            new Frame(7, "somebody"),
            new Frame(100, "\"C:\\mp3\\fuzz song.mp3\" 0123456789abcdef0123456789abcdef 443332 128 44100 60"),
            new Frame(870, "\"C:\\mp3\" \"a b.mp3\" NOMD5COMPUTED 1 128 44100 1 \"c.mp3\" NOMD5COMPUTED 2 128 44100 2"),
            new Frame(102, "C:\\mp3\\fuzz song.mp3"),
            new Frame(200, "FILENAME CONTAINS \"target song\" MAX_RESULTS 10 BITRATE \"AT LEAST\" \"128\""),
            new Frame(200, "MAX_RESULTS 100 FILENAME CONTAINS \"target\" LINESPEED \"EQUAL TO\" 10"),
            new Frame(203, "owner \"C:\\share\\target song.mp3\""),
            new Frame(500, "owner \"C:\\share\\target song.mp3\""),
            new Frame(608, "someone \"C:\\mp3\\fuzz song.mp3\""),
            new Frame(619, "someone \"C:\\mp3\\fuzz song.mp3\" 3"),
            new Frame(207, "owner"), new Frame(211, "owner"), new Frame(603, "owner"), new Frame(600, "owner"),
            new Frame(751, "owner"), new Frame(752, "owner"), new Frame(700, "7"), new Frame(703, "6699"),
            new Frame(214, ""), new Frame(750, ""), new Frame(110, ""), new Frame(621, ""));

    /** What one fuzzed connection sent back. */
    static final class Recorder implements NapsterConnection.Output {
        final List<Frame> frames = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized void send(Frame f) {
            frames.add(f);
        }

        @Override
        public synchronized void close() {
            closed = true;
        }
    }

    private final IndexServer server = new IndexServer(UserStore.inMemory(), NapsterCodecTest.PLAIN_FOR_TESTS,
            IndexServer.Params.defaults(), InstantSource.fixed(Instant.parse("2026-11-25T00:00:00Z")));
    private final AtomicLong errors = new AtomicLong();

    private NapsterConnection connect(Recorder out) {
        return new NapsterConnection(server, out, "127.0.0.1", new NapsterConnection.Greeting("fuzz", List.of("motd")), MAX_PAYLOAD,
                errors);
    }

    @Test
    void randomAndMutatedFramesNeverBreakTheServer() {
        // a sharer whose file the fuzzed searches and downloads aim at, alive throughout
        Recorder ownerOut = new Recorder();
        NapsterConnection owner = connect(ownerOut);
        owner.onFrame(new Frame(2, "owner pw 6699 \"nap v0.8\" 7"));
        owner.onFrame(new Frame(100, "\"C:\\share\\target song.mp3\" md5 1000 128 44100 60"));
        assertThat(ownerOut.closed).isFalse();

        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            SplittableRandom r = random.split();
            byte[] input = input(r);
            boolean login = r.nextInt(3) > 0;
            try {
                check(input, login ? "fz" + i : null);
            }
            catch (Throwable t) {
                throw new AssertionError("case " + i + " (seed " + SEED + ", login " + login + "): input "
                        + HexFormat.of().formatHex(input), t);
            }
        }
        // the index still works for everyone else
        Recorder after = new Recorder();
        NapsterConnection c = connect(after);
        c.onFrame(new Frame(2, "checker pw 6699 \"nap v0.8\" 3"));
        c.onFrame(new Frame(200, "FILENAME CONTAINS \"target song\" MAX_RESULTS 10"));
        assertThat(after.frames).extracting(Frame::type).contains(201, 202);
        assertThat(after.frames.stream().filter(f -> f.type() == 201).map(Frame::payload))
                .anyMatch(p -> p.startsWith("\"C:\\share\\target song.mp3\" md5 1000 128 44100 60 owner 16777343 7"));
        assertThat(ownerOut.closed).as("the sharer's connection outlived the fuzzing").isFalse();
        assertThat(server.online("owner")).isPresent();
    }

    private void check(byte[] input, String login) throws IOException {
        Recorder out = new Recorder();
        NapsterConnection c = connect(out);
        if (login != null) { // a nick of its own: an earlier case may have changed a shared nick's password (701)
            c.onFrame(new Frame(2, login + " pw 6699 \"nap v0.8\" 3"));
            assertThat(c.loggedIn()).isTrue();
        }
        FrameReader reader = new FrameReader(new ByteArrayInputStream(input), MAX_PAYLOAD);
        try {
            while (!out.closed) {
                int before = out.frames.size();
                boolean wasLoggedIn = c.loggedIn();
                FrameReader.Result res = reader.read();
                if (res == null) {
                    break;
                }
                if (res instanceof FrameReader.TooLong tl) {
                    c.onTooLong(tl.type(), tl.length());
                    assertThat(sentError(out, before)).as("a too-long frame is answered with an error").isTrue();
                    continue;
                }
                Frame f = ((FrameReader.Ok) res).frame();
                c.onFrame(f);
                if (!wasLoggedIn && !Set.of(2, 4, 6, 7, 14, 920).contains(f.type())) {
                    assertThat(out.closed).as("a command before login closes the connection").isTrue();
                    assertThat(out.frames.subList(before, out.frames.size())).extracting(Frame::type).containsExactly(0);
                }
                if (wasLoggedIn && !HANDLED.contains(f.type())) {
                    assertThat(sentError(out, before)).as("an unknown type %d is answered with 404", f.type()).isTrue();
                }
            }
        }
        catch (EOFException e) {
            // the input ended inside a frame: the transport closes the connection
        }
        finally {
            c.onClosed();
        }
        for (Frame f : out.frames) {
            assertThat(f.type()).isBetween(0, MsgType.MAX_SENT);
            assertThat(f.payload()).doesNotStartWith("server error");
            f.encode(); // every frame sent can be put on the wire
        }
        if (login != null) {
            assertThat(server.online(login)).as("the connection's session ended with it").isEmpty();
        }
    }

    private static boolean sentError(Recorder out, int before) {
        return out.closed || out.frames.subList(before, out.frames.size()).stream().anyMatch(f -> f.type() == 0 || f.type() == 404);
    }

    /** One input: random bytes, or one to three frames (valid, mutated or random) with damage. */
    public static byte[] input(SplittableRandom r) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        switch (r.nextInt(4)) {
            case 0 -> {
                byte[] junk = new byte[r.nextInt(64)];
                r.nextBytes(junk);
                b.writeBytes(junk);
            }
            case 1 -> {
                int n = 1 + r.nextInt(3);
                for (int i = 0; i < n; i++) {
                    b.writeBytes(mutate(SEEDS.get(r.nextInt(SEEDS.size())).encode(), r));
                }
            }
            case 2 -> b.writeBytes(randomFrame(r).encode());
            default -> {
                b.writeBytes(SEEDS.get(r.nextInt(SEEDS.size())).encode());
                b.writeBytes(randomFrame(r).encode());
                b.writeBytes(mutate(SEEDS.get(r.nextInt(SEEDS.size())).encode(), r));
            }
        }
        return b.toByteArray();
    }

    /** A frame of a type near the handled ones (or any) with fields of random shapes. */
    static Frame randomFrame(SplittableRandom r) {
        int type = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(0x10000);
            case 1 -> r.nextInt(1000);
            default -> List.copyOf(HANDLED).get(r.nextInt(HANDLED.size()));
        };
        String[] pieces = {"\"", " ", "AT LEAST", "\"AT BEST\"", "FILENAME", "CONTAINS", "MAX_RESULTS", "BITRATE", "-1",
            "99999999999999999999", "0", "owner", "fuzzer", "C:\\x", "\u00e9", "\u0000", "\"a b\"", "target", "song", "", "  "};
        StringBuilder s = new StringBuilder();
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append(r.nextInt(5) == 0 ? Long.toString(r.nextLong()) : pieces[r.nextInt(pieces.length)]).append(r.nextBoolean() ? " " : "");
        }
        return new Frame(type, s.toString());
    }

    /** Bit flips, a damaged length, a changed type, a truncation or extra bytes. */
    static byte[] mutate(byte[] frame, SplittableRandom r) {
        byte[] b = frame.clone();
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    int i = r.nextInt(b.length);
                    b[i] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 1 -> { // the length: larger, smaller, beyond the limit
                int len = r.nextInt(3) == 0 ? MAX_PAYLOAD + 1 + r.nextInt(60_000) : r.nextInt(b.length + 8);
                b[0] = (byte) len;
                b[1] = (byte) (len >>> 8);
            }
            case 2 -> {
                int type = r.nextInt(0x10000);
                b[2] = (byte) type;
                b[3] = (byte) (type >>> 8);
            }
            case 3 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 4 -> { // a payload byte replaced by a quote, a space or a high byte
                if (b.length > 4) {
                    b[4 + r.nextInt(b.length - 4)] = new byte[] {'"', ' ', (byte) 0xFF, 0, '-'}[r.nextInt(5)];
                }
            }
            default -> {
                byte[] extra = new byte[1 + r.nextInt(8)];
                r.nextBytes(extra);
                byte[] longer = java.util.Arrays.copyOf(b, b.length + extra.length);
                System.arraycopy(extra, 0, longer, b.length, extra.length);
                b = longer;
            }
        }
        return b;
    }

    @Test
    void theGeneratorMakesEveryKindOfInput() {
        SplittableRandom r = new SplittableRandom(SEED);
        int tooLong = 0;
        int unknown = 0;
        int valid = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] in = input(r.split());
            if (in.length >= 4) {
                int len = (in[0] & 0xFF) | (in[1] & 0xFF) << 8;
                int type = (in[2] & 0xFF) | (in[3] & 0xFF) << 8;
                tooLong += len > MAX_PAYLOAD ? 1 : 0;
                unknown += HANDLED.contains(type) ? 0 : 1;
                valid += len == in.length - 4 && HANDLED.contains(type) ? 1 : 0;
            }
        }
        assertThat(tooLong).isGreaterThan(20);
        assertThat(unknown).isGreaterThan(100);
        assertThat(valid).isGreaterThan(100);
        assertThat(new String(SEEDS.get(0).encode(), 4, 4, StandardCharsets.US_ASCII)).isEqualTo("fuzz");
    }
}
