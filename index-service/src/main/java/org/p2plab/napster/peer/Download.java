package org.p2plab.napster.peer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** One download of the sharing peer, as {@code GET /client/downloads/{id}} shows it. */
public final class Download {

    /** Where a download is. */
    public enum State {
        /** asked the index (203), waiting for the sharer's accept (204) */
        REQUESTED,
        /** the sharer is firewalled: asked it to push (500), waiting for its connection */
        WAITING_FOR_PUSH,
        /** bytes are flowing */
        TRANSFERRING,
        DONE,
        FAILED
    }

    final String id;
    final String nick;
    final String path;
    final Instant started = Instant.now();
    final AtomicLong bytes = new AtomicLong();
    /** A pushing sharer connected (SEND arrived). */
    final CompletableFuture<Void> pushConnected = new CompletableFuture<>();
    /** The pushed transfer ended. */
    final CompletableFuture<Void> pushed = new CompletableFuture<>();
    volatile long size;
    volatile long offset;
    volatile State state = State.REQUESTED;
    volatile boolean push;
    volatile String peer;
    volatile Path file;
    volatile String sha256;
    volatile String error;
    volatile Instant finished;

    Download(String id, String nick, String path, long size) {
        this.id = id;
        this.nick = nick;
        this.path = path;
        this.size = size;
    }

    public String id() {
        return id;
    }

    public String nick() {
        return nick;
    }

    public String path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** Where the transfer started (resuming a partial file: its length). */
    public long offset() {
        return offset;
    }

    /** Bytes of the file present now (offset + received). */
    public long bytes() {
        return offset + bytes.get();
    }

    public State state() {
        return state;
    }

    public boolean push() {
        return push;
    }

    /** ip:port of the data connection. */
    public String peer() {
        return peer;
    }

    public Path file() {
        return file;
    }

    public String sha256() {
        return sha256;
    }

    public String error() {
        return error;
    }

    public Instant started() {
        return started;
    }

    public Instant finished() {
        return finished;
    }
}
