package org.p2plab.napster.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.p2plab.napster.protocol.DownloadTicket;
import org.p2plab.napster.protocol.SessionLink;

/**
 * A REST session's inbox: what a TCP client would receive unasked (an upload request, a hotlist
 * sign-on, a ping) is queued as an event for the session's owner to fetch
 * ({@code GET /sessions/{token}/events}, which waits for the next one). Bounded: beyond
 * {@link #CAPACITY} events the oldest are dropped.
 */
public final class RestSessionLink implements SessionLink {

    static final int CAPACITY = 1000;

    /** One event; the fields that do not apply to its type are absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(String type, Instant at, String nick, String path, String ip, Integer port, String md5,
                       Integer linkSpeed, Long size, Integer limit, String text) {

        static Event of(String type, String nick, String path) {
            return new Event(type, Instant.now(), nick, path, null, null, null, null, null, null, null);
        }
    }

    private final LinkedBlockingDeque<Event> events = new LinkedBlockingDeque<>();
    private volatile boolean ended;

    private void add(Event e) {
        while (events.size() >= CAPACITY) {
            events.pollFirst();
        }
        events.addLast(e);
    }

    /** The events queued now, or, if none, those that arrive within {@code wait}. */
    public List<Event> drain(Duration wait) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        Event first = wait.isZero() ? events.pollFirst() : events.pollFirst(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
            out.add(first);
            events.drainTo(out);
        }
        return out;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void uploadRequest(String downloader, String path, int downloaderSpeed) {
        add(new Event("upload-request", Instant.now(), downloader, path, null, null, null, downloaderSpeed, null, null,
                "accept with POST /sessions/{token}/accepts {nick, path}"));
    }

    @Override
    public void downloadAck(DownloadTicket t) {
        add(new Event("download-ack", Instant.now(), t.nick(), t.path(), t.ip(), t.port(), t.md5(), t.linkSpeed(), t.size(), null,
                null));
    }

    @Override
    public void downloadError(String nick, String path) {
        add(Event.of("download-error", nick, path));
    }

    @Override
    public void acceptFailed(String nick, String path) {
        add(Event.of("accept-failed", nick, path));
    }

    @Override
    public void queueLimit(String uploader, String path, long size, int limit) {
        add(new Event("queue-limit", Instant.now(), uploader, path, null, null, null, null, size, limit, null));
    }

    @Override
    public void pushRequest(String downloader, String ip, int port, String path, String md5, int downloaderSpeed) {
        add(new Event("push-request", Instant.now(), downloader, path, ip, port, md5, downloaderSpeed, null, null,
                "connect to ip:port and send the file (Napster's SEND)"));
    }

    @Override
    public void userSignon(String nick, int linkSpeed) {
        add(new Event("user-signon", Instant.now(), nick, null, null, null, null, linkSpeed, null, null, null));
    }

    @Override
    public void userSignoff(String nick) {
        add(Event.of("user-signoff", nick, null));
    }

    @Override
    public void pinged(String by) {
        add(Event.of("ping", by, null));
    }

    @Override
    public void ponged(String by) {
        add(Event.of("pong", by, null));
    }

    @Override
    public void error(String text) {
        add(new Event("error", Instant.now(), null, null, null, null, null, null, null, null, text));
    }

    @Override
    public void ended(String reason) {
        ended = true;
        add(new Event("session-ended", Instant.now(), null, null, null, null, null, null, null, null, reason));
    }
}
