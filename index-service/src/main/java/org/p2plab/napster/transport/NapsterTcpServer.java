package org.p2plab.napster.transport;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.p2plab.support.net.Acceptor;
import org.p2plab.support.net.Sockets;
import org.p2plab.napster.protocol.Frame;
import org.p2plab.napster.protocol.FrameReader;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.MsgType;
import org.p2plab.napster.protocol.NapsterConnection;

/**
 * The index's Napster door: a TCP listener (port 8888) with one virtual thread reading each
 * connection and one writing it.
 * <ul>
 * <li>Each connection's outgoing frames share a byte budget ({@code queueBytes}). The answers to
 * a client's own commands wait for room (only that client is held up); what other users' actions
 * send it (upload requests, pings, sign-ons) is dropped when there is none, so no user can stall
 * or disconnect another.</li>
 * <li>A write that makes no progress for {@code writeTimeout} closes the connection (a blocking
 * write has no timeout of its own).</li>
 * <li>A connection must log in within {@code loginTimeout} of connecting (a deadline, not an idle
 * time); at most {@code maxConnections} are open; TCP keep-alive (60 s idle, then 3 probes 10 s
 * apart) finds the peers that vanished, whose shares then leave the index.</li>
 * </ul>
 */
public final class NapsterTcpServer implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NapsterTcpServer.class);
    private static final byte[] CLOSE = new byte[0];
    /** Each connection's read and write buffers: small, as 10,000 idle connections hold them all. */
    private static final int BUFFER = 2048;

    /**
     * @param bindAddress    where to listen (null: every address)
     * @param port           0: any free port
     * @param maxPayload     the longest payload accepted
     * @param loginTimeout   how long a new connection has to log in
     * @param queueBytes     bytes waiting to be written to one client
     * @param writeTimeout   a write stalled this long closes the connection
     * @param maxConnections connections open at once; more are refused with 0 "server full"
     */
    public record Config(String bindAddress, int port, int maxPayload, Duration loginTimeout, int queueBytes, Duration writeTimeout,
                         int maxConnections) {
    }

    private final IndexServer server;
    private final NapsterConnection.Greeting greeting;
    private final Config config;
    private final BiConsumer<Integer, Boolean> frameCounter;
    private final AtomicLong errorsSent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Set<Writer> open = ConcurrentHashMap.newKeySet();
    private final ServerSocket listener;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("napster-write-watchdog").factory());
    private volatile boolean closed;

    /**
     * Binds now and accepts on a thread of its own.
     *
     * @param frameCounter called per frame with its type and true for inbound, false for outbound
     */
    public NapsterTcpServer(IndexServer server, NapsterConnection.Greeting greeting, Config config,
                            BiConsumer<Integer, Boolean> frameCounter) throws IOException {
        this.server = server;
        this.greeting = greeting;
        this.config = config;
        this.frameCounter = frameCounter;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        InetAddress bind = config.bindAddress() == null || config.bindAddress().isBlank() ? null : InetAddress.getByName(config.bindAddress());
        listener.bind(new InetSocketAddress(bind, config.port()), 256);
        long check = Math.max(100, config.writeTimeout().toMillis() / 4);
        watchdog.scheduleWithFixedDelay(this::closeStalled, check, check, TimeUnit.MILLISECONDS);
        Acceptor.start("napster-accept-" + port(), listener, () -> closed, this::accepted);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections open now. */
    public int connections() {
        return open.size();
    }

    /** Error replies (0, 10, 404) sent on every connection so far. */
    public long errorsSent() {
        return errorsSent.get();
    }

    /** Messages from other users dropped because their recipient did not read. */
    public long dropped() {
        return dropped.get();
    }

    private void accepted(Socket s) {
        if (open.size() >= config.maxConnections()) {
            Thread.ofVirtual().start(() -> refuseFull(s));
        }
        else {
            Thread.ofVirtual().name("napster-conn").start(() -> serve(s));
        }
    }

    private void refuseFull(Socket s) {
        try (s) {
            s.setSoTimeout(1000);
            s.getOutputStream().write(new Frame(MsgType.ERROR, "This server is full (" + config.maxConnections() + " connections)").encode());
            errorsSent.incrementAndGet();
        }
        catch (IOException e) {
            // it went away
        }
    }

    private void serve(Socket socket) {
        Writer writer = new Writer(socket);
        open.add(writer);
        NapsterConnection c = new NapsterConnection(server, writer, ipv4(socket.getInetAddress()), greeting, config.maxPayload(),
                errorsSent);
        Thread.ofVirtual().name("napster-write").start(writer);
        long loginDeadline = System.nanoTime() + config.loginTimeout().toNanos();
        try { // the writer closes the socket, after the frames already queued (a refusal's 0)
            Sockets.keepAlive(socket);
            socket.setTcpNoDelay(true);
            FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream(), BUFFER), config.maxPayload());
            boolean timeoutCleared = false;
            while (!writer.closing) {
                if (!c.loggedIn()) {
                    long left = (loginDeadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        c.onLoginTimeout(config.loginTimeout());
                        break;
                    }
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
                }
                else if (!timeoutCleared) { // once, at login: not a system call per frame
                    socket.setSoTimeout(0);
                    timeoutCleared = true;
                }
                FrameReader.Result r;
                try {
                    r = reader.read();
                }
                catch (SocketTimeoutException e) {
                    continue; // the deadline is checked above
                }
                if (r == null) {
                    break;
                }
                if (r instanceof FrameReader.Ok ok) {
                    frameCounter.accept(ok.frame().type(), true);
                    c.onFrame(ok.frame());
                }
                else if (r instanceof FrameReader.TooLong tl) {
                    frameCounter.accept(tl.type(), true);
                    c.onTooLong(tl.type(), tl.length());
                }
            }
        }
        catch (IOException e) {
            // the client went away mid-frame, or reset: a normal end
        }
        finally {
            try {
                c.onClosed();
            }
            catch (RuntimeException e) {
                LOG.error("napster: ending the session of {} failed", socket.getRemoteSocketAddress(), e);
            }
            finally {
                writer.close();
                open.remove(writer);
            }
        }
    }

    private void closeStalled() {
        long limit = config.writeTimeout().toNanos();
        long now = System.nanoTime();
        for (Writer w : open) {
            if (w.writing && now - w.lastProgress > limit) {
                LOG.info("napster: {} stopped reading for {} s; disconnected", w.socket.getRemoteSocketAddress(),
                        config.writeTimeout().toSeconds());
                w.abort();
            }
        }
    }

    /** Napster addresses are IPv4: an IPv6 loopback is 127.0.0.1, a mapped address its IPv4, others 0.0.0.0. */
    static String ipv4(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        if (a instanceof Inet6Address v6) {
            if (v6.isLoopbackAddress()) {
                return "127.0.0.1";
            }
            byte[] b = v6.getAddress();
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= b[i] == 0;
            }
            if (mapped && b[10] == (byte) 0xFF && b[11] == (byte) 0xFF) {
                return (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
            }
        }
        return "0.0.0.0";
    }

    /** Writes one connection's frames in order; closes the socket after a close request, a stall or an abort. */
    private final class Writer implements NapsterConnection.Output, Runnable {

        private final Socket socket;
        private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private final Semaphore budget = new Semaphore(config.queueBytes());
        private volatile boolean closing;
        private volatile boolean writing;
        private volatile long lastProgress = System.nanoTime();
        private final java.util.concurrent.atomic.AtomicBoolean unblocked = new java.util.concurrent.atomic.AtomicBoolean();

        Writer(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void send(Frame frame) {
            byte[] b = frame.encode();
            if (closing) {
                return;
            }
            try {
                budget.acquire(Math.min(b.length, config.queueBytes())); // waits while this client's own queue is full
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (closing) {
                return;
            }
            queue.add(b);
            frameCounter.accept(frame.type(), false);
        }

        @Override
        public boolean deliver(Frame frame) {
            byte[] b = frame.encode();
            if (closing || !budget.tryAcquire(Math.min(b.length, config.queueBytes()))) {
                dropped.incrementAndGet();
                return false;
            }
            queue.add(b);
            frameCounter.accept(frame.type(), false);
            return true;
        }

        @Override
        public void close() {
            if (!closing) {
                closing = true;
                queue.add(CLOSE);
            }
        }

        /** Closes at once, whatever is queued (a stalled or vanished client). */
        void abort() {
            closing = true;
            unblock();
            queue.add(CLOSE);
            closeSocket();
        }

        @Override
        public void run() {
            try {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
                while (true) {
                    byte[] b = queue.take(); // the reader's end, a refusal and an abort always queue CLOSE
                    if (b == CLOSE) {
                        writing = true;
                        lastProgress = System.nanoTime();
                        out.flush();
                        break;
                    }
                    writing = true;
                    lastProgress = System.nanoTime();
                    out.write(b);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                    writing = false;
                    if (!unblocked.get()) {
                        budget.release(Math.min(b.length, config.queueBytes()));
                    }
                }
            }
            catch (SocketException e) {
                // closed under us
            }
            catch (IOException e) {
                LOG.debug("napster: write to {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closing = true;
            unblock();
            closeSocket();
        }

        /** Lets a reader waiting for room go on (it then sees closing and ends); once. */
        private void unblock() {
            if (unblocked.compareAndSet(false, true)) {
                budget.release(Integer.MAX_VALUE / 4);
            }
        }

        private void closeSocket() {
            try {
                socket.close();
            }
            catch (IOException e) {
                // already closed
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        try {
            listener.close();
        }
        catch (IOException e) {
            // closing anyway
        }
        for (Writer w : open) {
            w.abort();
        }
    }
}
