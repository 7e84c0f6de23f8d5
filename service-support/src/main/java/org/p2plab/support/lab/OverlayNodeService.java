package org.p2plab.support.lab;

import java.util.concurrent.atomic.AtomicBoolean;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * The life of a service's overlay node: it is built once the web server knows its port (so
 * that the advertised address is right with {@code server.port=0}), and stopped before the web
 * server stops accepting (so that a graceful leave can still reach the neighbours). Chord's and
 * CAN's services extend it.
 */
public abstract class OverlayNodeService implements ApplicationListener<WebServerInitializedEvent>, SmartLifecycle {

    private final AtomicBoolean built = new AtomicBoolean();
    private final java.util.List<java.nio.file.Path> temporaryDirectories = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running;

    /** Builds the node for the main web server's port (called once; not for a management server). */
    protected abstract void onWebServerPort(int port);

    /** Leaves (if configured) and stops the node and its timers. */
    protected abstract void shutdown();

    @Override
    public final void onApplicationEvent(WebServerInitializedEvent event) {
        if ("management".equals(event.getApplicationContext().getServerNamespace()) || !built.compareAndSet(false, true)) {
            return;
        }
        onWebServerPort(event.getWebServer().getPort());
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        try {
            shutdown();
        }
        finally {
            for (java.nio.file.Path d : temporaryDirectories) {
                try {
                    org.springframework.util.FileSystemUtils.deleteRecursively(d);
                }
                catch (java.io.IOException e) {
                    // a temporary directory: the OS cleans it eventually
                }
            }
        }
    }

    /**
     * A new temporary directory (for a node given no directory of its own), deleted with what is
     * in it when the node stops, after {@link #shutdown}.
     */
    protected java.nio.file.Path temporaryDirectory(String prefix) throws java.io.IOException {
        java.nio.file.Path d = java.nio.file.Files.createTempDirectory(prefix);
        temporaryDirectories.add(d);
        return d;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stop before the web server stops accepting, so a leave can still reach the neighbours
        return Integer.MAX_VALUE - 2048;
    }

    /** The configured advertised address without a trailing slash, or http://127.0.0.1:{port}. */
    protected static String advertisedAddress(String configured, int port) {
        return blank(configured) ? "http://127.0.0.1:" + port : stripSlash(configured);
    }

    /** {@code url} stripped, if it is an http(s) URL with a host; else an IllegalArgumentException naming {@code property}. */
    protected static String requireHttpUrl(String url, String property) {
        try {
            java.net.URI uri = new java.net.URI(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return url.strip();
        }
        catch (Exception e) {
            throw new IllegalArgumentException(property + ": '" + url + "' is not an http(s) URL with a host");
        }
    }

    protected static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    protected static String stripSlash(String url) {
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
