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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.p2plab.napster.protocol.Frame;
import org.p2plab.napster.protocol.FrameReader;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.NapsterConnection;

/**
 * The index's Napster door: a TCP listener (port 8888) with one virtual thread reading each
 * connection and one writing it. Writes go through a bounded queue, so a client that stops
 * reading cannot hold up the users whose commands send it messages: when its queue is full it
 * is disconnected. A connection must log in within the login timeout; after that it lives until
 * either side closes it (TCP keep-alive finds the peers that vanished).
 */
public final class NapsterTcpServer implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NapsterTcpServer.class);
    private static final byte[] CLOSE = new byte[0];
    /** Each connection's read and write buffers: small, as 10,000 idle connections hold them all. */
    private static final int BUFFER = 2048;

    /**
     * @param bindAddress  where to listen (null: every address)
     * @param port         0: any free port
     * @param maxPayload   the longest payload accepted
     * @param loginTimeout how long a new connection has to log in
     * @param queueFrames  frames waiting to be written to one client before it is dropped as too slow
     */
    public record Config(String bindAddress, int port, int maxPayload, Duration loginTimeout, int queueFrames) {
    }

    private final IndexServer server;
    private final NapsterConnection.Greeting greeting;
    private final Config config;
    private final BiConsumer<Integer, Boolean> frameCounter;
    private final AtomicLong errorsSent = new AtomicLong();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ServerSocket listener;
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
        Thread.ofPlatform().daemon().name("napster-accept-" + port()).start(this::acceptLoop);
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

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                open.add(s);
                Thread.ofVirtual().name("napster-conn").start(() -> serve(s));
            }
            catch (IOException e) {
                if (!closed) {
                    LOG.warn("napster: accept failed: {}", e.toString());
                }
            }
        }
    }

    private void serve(Socket socket) {
        Writer writer = new Writer(socket);
        NapsterConnection c = new NapsterConnection(server, writer, ipv4(socket.getInetAddress()), greeting, config.maxPayload(),
                errorsSent);
        Thread.ofVirtual().name("napster-write").start(writer);
        try { // the writer closes the socket, after the frames already queued (a refusal's 0)
            socket.setKeepAlive(true);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) config.loginTimeout().toMillis());
            FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream(), BUFFER), config.maxPayload());
            while (!writer.closing) {
                FrameReader.Result r;
                try {
                    r = reader.read();
                }
                catch (SocketTimeoutException e) {
                    if (c.loggedIn()) {
                        continue;
                    }
                    c.onLoginTimeout(config.loginTimeout());
                    break;
                }
                if (r == null) {
                    break;
                }
                if (r instanceof FrameReader.Ok ok) {
                    frameCounter.accept(ok.frame().type(), true);
                    c.onFrame(ok.frame());
                    if (c.loggedIn()) {
                        socket.setSoTimeout(0);
                    }
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
            c.onClosed();
            writer.close();
            open.remove(socket);
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

    /** Writes one connection's frames in order; closes the socket after a close request or an overflow. */
    private final class Writer implements NapsterConnection.Output, Runnable {

        private final Socket socket;
        private final BlockingQueue<byte[]> queue;
        private volatile boolean closing;

        Writer(Socket socket) {
            this.socket = socket;
            this.queue = new LinkedBlockingQueue<>(config.queueFrames() + 1); // grows as needed: most clients have nothing waiting
        }

        @Override
        public void send(Frame frame) {
            if (closing) {
                return;
            }
            if (!queue.offer(frame.encode())) {
                LOG.info("napster: {} does not read its messages; disconnected", socket.getRemoteSocketAddress());
                closing = true;
                closeSocket();
                return;
            }
            frameCounter.accept(frame.type(), false);
        }

        @Override
        public void close() {
            if (!closing) {
                closing = true;
                if (!queue.offer(CLOSE)) { // full: the client reads nothing; nothing more is worth writing
                    closeSocket();
                }
            }
        }

        @Override
        public void run() {
            try {
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
                while (true) {
                    byte[] b = queue.take(); // the reader's end, a refusal or an overflow always queues CLOSE or closes the socket
                    if (b == CLOSE) {
                        out.flush();
                        break;
                    }
                    out.write(b);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                }
            }
            catch (SocketException e) {
                // closed under us: the reader has ended the connection
            }
            catch (IOException e) {
                LOG.debug("napster: write to {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeSocket();
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
        try {
            listener.close();
        }
        catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            }
            catch (IOException e) {
                // closing anyway
            }
        }
    }
}
