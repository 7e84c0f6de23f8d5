package org.p2plab.napster.peer;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import org.p2plab.napster.protocol.Fields;
import org.p2plab.napster.protocol.Frame;
import org.p2plab.napster.protocol.FrameReader;
import org.p2plab.napster.protocol.MsgType;
import org.p2plab.napster.protocol.NapsterIp;
import org.p2plab.napster.protocol.SearchRequest;
import org.p2plab.napster.protocol.SharedFile;

/**
 * A Napster client's connection to an index, as the clients of 2000 held it: log in (2), share
 * (100), search (200 → 201… → 202), browse (211 → 212… → 213), ask for downloads (203 → 204, or
 * 500 for a push), ping users (751 → 752); and the index's unasked messages (607 upload
 * requests, 501 push requests, 751 pings) handed to a {@link Handler}. One reader thread; the
 * replies that carry no request id (search, browse) are matched by doing one at a time.
 */
public final class NapsterClient implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(NapsterClient.class);

    /** What the index asks of this client unprompted. Called on the reader thread: must not block. */
    public interface Handler {
        /** 607: {@code nick} wants {@code path}; answer {@link #acceptUpload} or {@link #queueLimit}. */
        void uploadRequested(String nick, String path, int speed);

        /** 501: push {@code path} to {@code nick} at {@code ip:port}. */
        void pushRequested(String nick, String ip, int port, String path);

        /** The connection {@code client} to the index ended (a refused login's too). */
        void disconnected(NapsterClient client);
    }

    /** A search hit (201). */
    public record Result(String path, String md5, long size, int bitrate, int frequency, int length, String nick, String ip,
                         int linkSpeed) {
    }

    /** The index's answer to a download request (204). */
    public record Ack(String nick, String ip, int port, String path, String md5, int linkSpeed) {
    }

    /** A download request the index refused or that failed (206, 609, 620, 404 about it). */
    public static final class RequestFailed extends IOException {
        private final int type;

        RequestFailed(int type, String message) {
            super(message);
            this.type = type;
        }

        /** The Napster type that said so (206, 609, 620). */
        public int type() {
            return type;
        }
    }

    private final Socket socket;
    private final OutputStream out;
    private final Handler handler;
    private final ReentrantLock exchange = new ReentrantLock();
    private final Map<String, CompletableFuture<Ack>> downloads = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Long>> pings = new ConcurrentHashMap<>();
    private final List<String> motd = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Frame> login = new CompletableFuture<>();
    private volatile Collector collector;
    private volatile String nick;
    private volatile boolean closed;

    /** Replies collected for one search or browse, until its end message. */
    private static final class Collector {
        final int item;
        final int end;
        final List<Frame> frames = new ArrayList<>();
        final CompletableFuture<List<Frame>> done = new CompletableFuture<>();

        Collector(int item, int end) {
            this.item = item;
            this.end = end;
        }
    }

    private NapsterClient(Socket socket, Handler handler) throws IOException {
        this.socket = socket;
        this.out = new BufferedOutputStream(socket.getOutputStream());
        this.handler = handler;
    }

    /**
     * Connects to {@code host:port} and logs in (2); the index's 0 or 10 as an IOException.
     * {@code dataPort} 0: firewalled.
     */
    public static NapsterClient login(String host, int port, String nick, String password, int dataPort, int linkSpeed,
                                      Duration timeout, Handler handler) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            NapsterClient c = new NapsterClient(s, handler);
            c.nick = nick;
            Thread.ofVirtual().name("napster-client-" + nick).start(c::readLoop);
            c.send(MsgType.LOGIN, nick + " " + password + " " + dataPort + " " + Fields.quote("p2plab-peer 1.0") + " " + linkSpeed);
            Frame answer = c.await(c.login, timeout, "login");
            if (answer.type() != MsgType.LOGIN_ACK) {
                c.close();
                throw new IOException("the index refused the login (" + answer.type() + "): " + answer.payload());
            }
            return c;
        }
        catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public String nick() {
        return nick;
    }

    public List<String> motd() {
        return List.copyOf(motd);
    }

    public boolean connected() {
        return !closed;
    }

    /** Sends one message. */
    public void send(int type, String payload) throws IOException {
        byte[] b = new Frame(type, payload).encode();
        synchronized (out) {
            out.write(b);
            out.flush();
        }
    }

    /** 100 for each file. */
    public void share(List<SharedFile> files) throws IOException {
        for (SharedFile f : files) {
            send(MsgType.SHARE, Fields.quote(f.path()) + " " + f.md5() + " " + f.size() + " " + f.bitrate() + " " + f.frequency() + " "
                    + f.length());
        }
    }

    /** 102. */
    public void unshare(String path) throws IOException {
        send(MsgType.UNSHARE, Fields.quote(path));
    }

    /** 200: the hits up to 202. */
    public List<Result> search(SearchRequest r, Duration timeout) throws IOException {
        List<Result> out = new ArrayList<>();
        for (Frame f : collect(MsgType.SEARCH, r.toPayload(), MsgType.SEARCH_RESULT, MsgType.SEARCH_END, timeout)) {
            List<String> a = f.fields();
            if (a.size() < 9) {
                continue;
            }
            try {
                out.add(new Result(a.get(0), a.get(1), Long.parseLong(a.get(2)), Integer.parseInt(a.get(3)), Integer.parseInt(a.get(4)),
                        Integer.parseInt(a.get(5)), a.get(6), NapsterIp.decode(Long.parseLong(a.get(7))), Integer.parseInt(a.get(8))));
            }
            catch (IllegalArgumentException e) {
                LOG.debug("napster client: a malformed search result: {}", f);
            }
        }
        return out;
    }

    /** 211: {@code nick}'s shares (empty if it is offline: the index answers 210). */
    public List<SharedFile> browse(String nick, Duration timeout) throws IOException {
        List<SharedFile> out = new ArrayList<>();
        for (Frame f : collect(MsgType.BROWSE, nick, MsgType.BROWSE_ENTRY, MsgType.BROWSE_END, timeout)) {
            List<String> a = f.fields();
            try {
                out.add(new SharedFile(a.get(1), a.get(2), Long.parseLong(a.get(3)), Integer.parseInt(a.get(4)),
                        Integer.parseInt(a.get(5)), Integer.parseInt(a.get(6))));
            }
            catch (RuntimeException e) {
                LOG.debug("napster client: a malformed browse entry: {}", f);
            }
        }
        return out;
    }

    private List<Frame> collect(int type, String payload, int item, int end, Duration timeout) throws IOException {
        try {
            if (!exchange.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the connection to the index is busy with other searches");
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try {
            Collector c = new Collector(item, end);
            collector = c;
            send(type, payload);
            try {
                return await(c.done, timeout, "the answer to " + type);
            }
            catch (IOException e) {
                // the answer may still come, and nothing in it says which request it answers: this
                // connection can no longer tell one search's results from the next one's
                close();
                throw e;
            }
        }
        finally {
            collector = null;
            exchange.unlock();
        }
    }

    /** 751: the round-trip time to {@code nick} through the index, if it answers within {@code timeout}. */
    public Optional<Duration> ping(String nick, Duration timeout) throws IOException {
        CompletableFuture<Long> pong = pings.computeIfAbsent(nick.toLowerCase(java.util.Locale.ROOT), k -> new CompletableFuture<>());
        long t0 = System.nanoTime();
        send(MsgType.PING, nick);
        try {
            long t1 = pong.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.of(Duration.ofNanos(Math.max(0, t1 - t0)));
        }
        catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        finally {
            pings.remove(nick.toLowerCase(java.util.Locale.ROOT), pong);
        }
    }

    /** 203: completes with the 204, or fails with a {@link RequestFailed} (206, 609, 620). */
    public CompletableFuture<Ack> requestDownload(String nick, String path) throws IOException {
        CompletableFuture<Ack> fresh = new CompletableFuture<>();
        CompletableFuture<Ack> f = downloads.putIfAbsent(key(nick, path), fresh);
        if (f != null) {
            return f; // asked already: the one answer serves both (the index keys requests the same way)
        }
        send(MsgType.DOWNLOAD_REQUEST, nick + " " + Fields.quote(path));
        return fresh;
    }

    /** 500: the firewalled {@code nick} is asked to push; nothing comes back but errors (which fail the returned future). */
    public CompletableFuture<Ack> requestPush(String nick, String path) throws IOException {
        CompletableFuture<Ack> f = new CompletableFuture<>();
        downloads.put(key(nick, path), f);
        send(MsgType.PUSH_REQUEST, nick + " " + Fields.quote(path));
        return f;
    }

    /** Forgets a download request (its answer came some other way: a push arrived). */
    public void forget(String nick, String path) {
        downloads.remove(key(nick, path));
    }

    /** 608. */
    public void acceptUpload(String nick, String path) throws IOException {
        send(MsgType.UPLOAD_ACCEPT, nick + " " + Fields.quote(path));
    }

    /** 619. */
    public void queueLimit(String nick, String path, int limit) throws IOException {
        send(MsgType.QUEUE_LIMIT, nick + " " + Fields.quote(path) + " " + limit);
    }

    /** 218/219 (download) or 220/221 (upload). */
    public void transfer(boolean download, boolean started) {
        try {
            send(download ? (started ? MsgType.DOWNLOADING : MsgType.DOWNLOAD_COMPLETE)
                    : (started ? MsgType.UPLOADING : MsgType.UPLOAD_COMPLETE), "");
        }
        catch (IOException e) {
            LOG.debug("napster client: could not report a transfer: {}", e.toString());
        }
    }

    private static String key(String nick, String path) {
        return nick.toLowerCase(java.util.Locale.ROOT) + '\n' + path;
    }

    private <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws IOException {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException e) {
            throw new IOException("the index did not answer " + what + " within " + timeout.toMillis() + " ms");
        }
        catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private void readLoop() {
        try {
            FrameReader reader = new FrameReader(new BufferedInputStream(socket.getInputStream()), 0xFFFF);
            FrameReader.Result r;
            while ((r = reader.read()) != null) {
                if (r instanceof FrameReader.Ok ok) {
                    try {
                        dispatch(ok.frame());
                    }
                    catch (RuntimeException e) {
                        LOG.warn("napster client: could not handle {}: {}", ok.frame(), e.toString());
                    }
                }
            }
        }
        catch (IOException e) {
            // the connection ended
        }
        finally {
            closed = true;
            IOException gone = new IOException("the connection to the index ended");
            login.completeExceptionally(gone);
            Collector c = collector;
            if (c != null) {
                c.done.completeExceptionally(gone);
            }
            downloads.values().forEach(d -> d.completeExceptionally(gone));
            pings.values().forEach(p -> p.completeExceptionally(gone));
            try {
                socket.close();
            }
            catch (IOException e) {
                // closing
            }
            handler.disconnected(this);
        }
    }

    private void dispatch(Frame f) throws IOException {
        Collector c = collector;
        switch (f.type()) {
            case MsgType.LOGIN_ACK, MsgType.ERROR, MsgType.NICK_INVALID -> login.complete(f);
            case MsgType.MOTD -> motd.add(f.payload());
            case MsgType.SEARCH_RESULT, MsgType.SEARCH_END, MsgType.BROWSE_ENTRY, MsgType.BROWSE_END -> {
                if (c != null && f.type() == c.item) {
                    c.frames.add(f);
                }
                else if (c != null && f.type() == c.end) {
                    c.done.complete(c.frames);
                }
            }
            case MsgType.USER_SIGNOFF -> { // also the answer to browsing someone offline
                if (c != null && c.item == MsgType.BROWSE_ENTRY) {
                    c.done.complete(List.of());
                }
            }
            case MsgType.DOWNLOAD_ACK -> {
                List<String> a = f.fields();
                Ack ack = new Ack(a.get(0), NapsterIp.decode(Long.parseLong(a.get(1))), Integer.parseInt(a.get(2)), a.get(3), a.get(4),
                        Integer.parseInt(a.get(5)));
                CompletableFuture<Ack> d = downloads.remove(key(ack.nick(), ack.path()));
                if (d != null) {
                    d.complete(ack);
                }
            }
            case MsgType.GET_ERROR, 609, MsgType.QUEUE_LIMIT_NOTICE -> {
                List<String> a = f.fields();
                if (a.size() >= 2) {
                    CompletableFuture<Ack> d = downloads.remove(key(a.get(0), a.get(1)));
                    if (d != null) {
                        d.completeExceptionally(new RequestFailed(f.type(), switch (f.type()) {
                            case MsgType.GET_ERROR -> a.get(0) + " is offline or no longer shares the file";
                            case 609 -> a.get(0) + " did not accept the upload in time";
                            default -> a.get(0) + "'s upload slots are full: try again later";
                        }));
                    }
                }
            }
            case MsgType.UPLOAD_REQUEST -> {
                List<String> a = f.fields();
                handler.uploadRequested(a.get(0), a.get(1), a.size() > 2 ? Integer.parseInt(a.get(2)) : 0);
            }
            case MsgType.PUSH_ACK -> {
                List<String> a = f.fields();
                handler.pushRequested(a.get(0), NapsterIp.decode(Long.parseLong(a.get(1))), Integer.parseInt(a.get(2)), a.get(3));
            }
            case MsgType.PING -> send(MsgType.PONG, f.payload().strip());
            case MsgType.PONG -> {
                CompletableFuture<Long> p = pings.get(f.payload().strip().toLowerCase(java.util.Locale.ROOT));
                if (p != null) {
                    p.complete(System.nanoTime());
                }
            }
            case MsgType.SERVER_PING -> send(MsgType.SERVER_PING, nick);
            case MsgType.ERROR_MESSAGE -> LOG.info("napster index says: {}", f.payload());
            default -> {
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        }
        catch (IOException e) {
            // closing
        }
    }
}
