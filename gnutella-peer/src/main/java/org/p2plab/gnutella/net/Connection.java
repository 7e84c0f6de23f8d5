package org.p2plab.gnutella.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Headers;
import org.p2plab.gnutella.protocol.Messages;
import org.p2plab.gnutella.protocol.Packet;

/**
 * One neighbour after the handshake: a {@link GnutellaNode.Link} whose {@link #send} only queues
 * (the node calls it under its lock), and a writer thread that empties the queue. The queue holds
 * at most {@code queueBytes}; what does not fit is dropped and counted: a neighbour that reads
 * too slowly loses messages (as Gnutella servents did, flow control by dropping), it never holds
 * up the node or the other neighbours. A write that makes no progress for the write timeout
 * closes the connection (the servent's watchdog checks {@link #stalledFor}).
 */
public final class Connection implements GnutellaNode.Link {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Connection.class);
    private static final byte[] CLOSE = new byte[0];

    private final String id;
    private final Socket socket;
    private final boolean outgoing;
    private final boolean ultrapeer;
    private final String listenAddress;
    private final Headers theirHeaders;
    private final int queueBytes;
    private final java.util.function.BiConsumer<Integer, Boolean> counter;
    private final long connectedAt = System.currentTimeMillis();
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    private volatile long lastRead = System.nanoTime();
    private volatile long qrpVersion = -1;
    private volatile long writingSince;

    Connection(String id, Socket socket, boolean outgoing, boolean ultrapeer, String listenAddress, Headers theirHeaders, int queueBytes,
               java.util.function.BiConsumer<Integer, Boolean> counter) {
        this.counter = counter;
        this.id = id;
        this.socket = socket;
        this.outgoing = outgoing;
        this.ultrapeer = ultrapeer;
        this.listenAddress = listenAddress;
        this.theirHeaders = theirHeaders;
        this.queueBytes = queueBytes;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public boolean ultrapeer() {
        return ultrapeer;
    }

    public boolean outgoing() {
        return outgoing;
    }

    /** The address it listens on ({@code Listen-IP}, or where it connected from), {@code ip:port}. */
    public String listenAddress() {
        return listenAddress;
    }

    public String remoteAddress() {
        return socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
    }

    public String userAgent() {
        String ua = theirHeaders.get("User-Agent");
        return ua == null ? "" : ua;
    }

    /** It said {@code Bye-Packet: 0.1}: it understands a Bye before the connection closes. */
    public boolean byeSupported() {
        return theirHeaders.has("Bye-Packet");
    }

    /** It said {@code X-Query-Routing} (0.1 or later): it takes this leaf's QRP table. */
    public boolean queryRouting() {
        return theirHeaders.has("X-Query-Routing");
    }

    /** The library version whose QRP table was last sent on this connection (-1: none). */
    long qrpVersion() {
        return qrpVersion;
    }

    void qrpVersion(long v) {
        qrpVersion = v;
    }

    public long connectedAt() {
        return connectedAt;
    }

    public long messagesIn() {
        return messagesIn.get();
    }

    public long messagesOut() {
        return messagesOut.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public boolean closed() {
        return closing.get();
    }

    long idleNanos(long now) {
        return now - lastRead;
    }

    /** How long the current write has been blocked (0: not writing). */
    long stalledFor(long now) {
        long w = writingSince;
        return w == 0 ? 0 : now - w;
    }

    @Override
    public void send(Packet p) {
        byte[] b = p.encode();
        if (closing.get() || queued.addAndGet(b.length) > queueBytes) {
            if (!closing.get()) {
                queued.addAndGet(-b.length);
            }
            dropped.incrementAndGet();
            return;
        }
        queue.add(b);
        counter.accept(p.type(), false);
    }

    /** Sends a Bye (if it understands one) after what is queued, then closes. */
    void bye(int code, String message) {
        if (byeSupported() && !closing.get()) {
            byte[] payload = new Messages.Bye(code, message).encode();
            queue.add(new Packet(org.p2plab.gnutella.protocol.Guid.random(java.util.concurrent.ThreadLocalRandom.current()),
                    Packet.BYE, 1, 0, payload).encode());
        }
        close();
    }

    /** Closes after what is queued is written. */
    void close() {
        if (closing.compareAndSet(false, true)) {
            queue.add(CLOSE);
        }
    }

    /** Closes now. */
    void abort() {
        closing.set(true);
        queue.add(CLOSE);
        try {
            socket.close();
        }
        catch (IOException e) {
            // closed already
        }
    }

    void readMark(int type) {
        lastRead = System.nanoTime();
        messagesIn.incrementAndGet();
        counter.accept(type, true);
    }

    InputStream input() throws IOException {
        return socket.getInputStream();
    }

    /** The writer loop: runs on a thread of its own until CLOSE, then closes the socket. */
    void writeLoop(OutputStream out) {
        try {
            while (true) {
                byte[] b = queue.take();
                if (b == CLOSE) {
                    writingSince = System.nanoTime();
                    out.flush();
                    break;
                }
                writingSince = System.nanoTime();
                out.write(b);
                if (queue.isEmpty()) {
                    out.flush();
                }
                writingSince = 0;
                queued.addAndGet(-b.length);
                messagesOut.incrementAndGet();
            }
        }
        catch (SocketException e) {
            // closed under us
        }
        catch (IOException e) {
            LOG.debug("gnutella: write to {} failed: {}", id, e.toString());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closing.set(true);
        try {
            socket.close();
        }
        catch (IOException e) {
            // closed already
        }
        written.countDown();
    }

    /** Waits (at most {@code millis}) until the writer has written what was queued before the close, and closed the socket. */
    boolean awaitClosed(long millis) {
        try {
            return written.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return id + "(" + listenAddress + (ultrapeer ? ", ultrapeer" : ", leaf") + ")";
    }
}
