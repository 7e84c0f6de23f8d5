package org.p2plab.gnutella.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.p2plab.gnutella.net.Servent;
import org.p2plab.gnutella.net.SharedFiles;
import org.p2plab.gnutella.net.Transfers;
import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Handshake;
import org.p2plab.gnutella.protocol.Headers;
import org.p2plab.gnutella.protocol.Library;
import org.p2plab.gnutella.protocol.Messages;
import org.p2plab.gnutella.protocol.Packet;
import org.p2plab.gnutella.protocol.PacketReader;

/**
 * Messages routed per second by one ultrapeer over loopback: a real {@link Servent} (its TCP
 * transport, handshake, queues and routing core) with {@code -Dneighbours=K} neighbours, each a
 * raw socket that did the 0.6 handshake as an ultrapeer. Neighbour 0 sends Queries with fresh
 * GUIDs (TTL 3) as fast as the others read them (at most {@code -Dwindow} ahead of the slowest:
 * no queue overflows, so nothing is dropped); the ultrapeer floods each to the other K-1, each of
 * which answers it with a QueryHit that the ultrapeer routes back to neighbour 0 along the
 * reverse path. Counts come from the servent's own counters. Prints a markdown row.
 */
public final class GnutellaRoutingBenchmark {

    public static void main(String[] args) throws Exception {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int k = Integer.getInteger("neighbours", 8);
        int seconds = Integer.getInteger("seconds", 20);
        int window = Integer.getInteger("window", 2000);
        var dir = Files.createTempDirectory("gnutella-bench");
        Servent.Config c = new Servent.Config("127.0.0.1", 0, "127.0.0.1", false, List.of(), 64, 30, 3, 0, Duration.ofSeconds(60),
                Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(30), 4 << 20, 65536, 256, 1000,
                1000);
        Transfers.Config t = new Transfers.Config(4, Duration.ofSeconds(30), false, dir.resolve("downloads"), 1, Duration.ofSeconds(1),
                Duration.ofSeconds(5), 10, 1 << 20);
        Servent up = new Servent(c, GnutellaNode.Params.defaults(true), new SharedFiles(dir.resolve("shared"), new Library(), 1 << 20), t,
                60_000, InstantSource.system(), new Random(1), (type, in) -> { }, new Transfers.Listener() { });
        up.start();
        List<Socket> sockets = new ArrayList<>();
        List<OutputStream> outs = new ArrayList<>();
        AtomicLong[] received = new AtomicLong[k];
        AtomicLong hitsBack = new AtomicLong();
        for (int i = 0; i < k; i++) {
            Socket s = new Socket("127.0.0.1", up.port());
            s.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            out.write(Handshake.Message.connect(new Headers().add("X-Ultrapeer", "True").add("Listen-IP", "127.0.0.1:" + (20000 + i)))
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            if (Handshake.read(in).code() != 200) {
                throw new IllegalStateException("neighbour " + i + " refused");
            }
            out.write("GNUTELLA/0.6 200 OK\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            sockets.add(s);
            outs.add(out);
            received[i] = new AtomicLong();
            int me = i;
            Guid servent = Guid.random(new Random(100 + i));
            Thread.ofPlatform().daemon().start(() -> read(me, in, out, servent, received[me], hitsBack));
        }
        while (up.connections().size() < k) {
            Thread.onSpinWait();
        }
        Random r = new Random(7);
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long warm = System.nanoTime() + Duration.ofSeconds(Math.min(5, seconds / 4)).toNanos();
        GnutellaNode.Stats before = null;
        long t0 = 0;
        long sent = 0;
        OutputStream source = outs.get(0);
        byte[] payload = new Messages.Query(Messages.FLAG_MARK, "benchmark words", List.of()).encode();
        while (System.nanoTime() < end) {
            if (before == null && System.nanoTime() > warm) {
                before = up.node().stats();
                t0 = System.nanoTime();
            }
            long slowest = Long.MAX_VALUE;
            for (int i = 1; i < k; i++) {
                slowest = Math.min(slowest, received[i].get());
            }
            if (sent - slowest >= window) {
                source.flush();
                Thread.onSpinWait();
                continue;
            }
            source.write(new Packet(Guid.random(r), Packet.QUERY, 3, 0, payload).encode());
            sent++;
            if (sent % 64 == 0) {
                source.flush();
            }
        }
        source.flush();
        double secs = (System.nanoTime() - t0) / 1e9;
        GnutellaNode.Stats after = up.node().stats();
        long qin = after.in().getOrDefault("query", 0L) - before.in().getOrDefault("query", 0L);
        long qout = after.out().getOrDefault("query", 0L) - before.out().getOrDefault("query", 0L);
        long hin = after.in().getOrDefault("query_hit", 0L) - before.in().getOrDefault("query_hit", 0L);
        long routed = after.routedHits() - before.routedHits();
        long dropped = up.transportStats().dropped();
        System.out.printf("| %d | %.0f | %.0f | %.0f | %.0f | %.0f | %d |%n", k, qin / secs, qout / secs, hin / secs, routed / secs,
                (qin + hin) / secs, dropped);
        System.out.printf("(%.1f s measured; messages routed = queries forwarded + hits routed back: %.0f/s)%n", secs, (qout + routed) / secs);
        up.kill();
        for (Socket s : sockets) {
            s.close();
        }
    }

    /** A neighbour: counts what arrives; answers each Query (but neighbour 0, the source) with a one-result QueryHit. */
    private static void read(int me, InputStream in, OutputStream out, Guid servent, AtomicLong received, AtomicLong hitsBack) {
        try {
            PacketReader reader = new PacketReader(in, 65536);
            byte[] hit = new Messages.QueryHit(6346, "127.0.0.1", 1000, List.of(new Messages.Result(1, 1000, "benchmark words.txt",
                    List.of())), new Messages.Qhd("BNCH", false, false, null), servent).encode();
            int unflushed = 0;
            for (Packet p = reader.read(); p != null; p = reader.read()) {
                if (p.type() == Packet.QUERY) {
                    received.incrementAndGet();
                    if (me != 0) {
                        out.write(new Packet(p.guid(), Packet.QUERY_HIT, p.hops() + 2, 0, hit).encode());
                        if (++unflushed >= 64 || in.available() == 0) {
                            out.flush();
                            unflushed = 0;
                        }
                    }
                }
                else if (p.type() == Packet.QUERY_HIT) {
                    hitsBack.incrementAndGet();
                }
                else if (p.type() == Packet.PING) {
                    out.write(new Packet(p.guid(), Packet.PONG, 1, 0, new Messages.Pong(20000 + me, "127.0.0.1", 0, 0, List.of()).encode())
                            .encode());
                    out.flush();
                }
            }
        }
        catch (Exception e) {
            // closed at the end
        }
    }
}
