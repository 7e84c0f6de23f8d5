package org.p2plab.gateway.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A misbehaving upstream on a random loopback port that counts the connections it accepts:
 * {@link Mode#CLOSE} reads each request head and then resets the connection, before any
 * response (a service that crashed while handling the request); {@link Mode#SILENT} keeps each one open and never answers (a hung service).
 */
public final class RawUpstream implements AutoCloseable {

    public enum Mode { CLOSE, SILENT }

    private final ServerSocket socket;
    private final Mode mode;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public RawUpstream(Mode mode) {
        this.mode = mode;
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        acceptor = Thread.ofPlatform().daemon().name("raw-upstream-" + mode).start(this::acceptLoop);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                accepted.incrementAndGet();
                if (mode == Mode.CLOSE) {
                    Thread.ofVirtual().start(() -> resetAfterRequestHead(s));
                }
                else {
                    held.add(s);
                }
            }
            catch (IOException closed) {
                return;
            }
        }
    }

    /**
     * Reads the request head, then resets the connection: the request certainly reached this
     * upstream, which died before answering (a connect-phase failure would be another case).
     */
    private static void resetAfterRequestHead(Socket s) {
        try (s) {
            s.setSoTimeout(5_000);
            java.io.InputStream in = s.getInputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            for (int b; matched < end.length && (b = in.read()) != -1; ) {
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            s.setSoLinger(true, 0); // reset: no response, ever
        }
        catch (IOException ignored) {
            // the client went away first
        }
    }

    /** Connections accepted so far. A connection is counted before the client can see it fail. */
    public int accepted() {
        return accepted.get();
    }

    public String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** A loopback port nothing listens on (bound, then closed): connecting to it is refused. */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : held) {
            try {
                s.close();
            }
            catch (IOException ignored) {
                // closing anyway
            }
        }
        acceptor.interrupt();
    }
}
