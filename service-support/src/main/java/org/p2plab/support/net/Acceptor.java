package org.p2plab.support.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The accept loop of a TCP service (the Napster index and data ports, the Gnutella servent port): each accepted socket is
 * handed to {@code onSocket}; a failed accept (out of file descriptors, say) is logged and
 * followed by a short pause, so that the loop does not spin; the loop ends when the listener is
 * closed.
 */
public final class Acceptor {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Acceptor.class);

    private Acceptor() {
    }

    /** Starts the loop on a daemon platform thread named {@code name}. */
    public static void start(String name, ServerSocket listener, BooleanSupplier closed, Consumer<Socket> onSocket) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            while (!closed.getAsBoolean()) {
                Socket s;
                try {
                    s = listener.accept();
                }
                catch (IOException e) {
                    if (!closed.getAsBoolean()) {
                        LOG.warn("{}: accept failed: {}", name, e.toString());
                        pause();
                    }
                    continue;
                }
                onSocket.accept(s);
            }
        });
    }

    private static void pause() {
        try {
            Thread.sleep(100); // a back-off after an accept error, not a wait for a peer
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
