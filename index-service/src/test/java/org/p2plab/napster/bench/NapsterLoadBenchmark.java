package org.p2plab.napster.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.p2plab.napster.protocol.Fields;
import org.p2plab.napster.protocol.Frame;
import org.p2plab.napster.protocol.FrameReader;
import org.p2plab.napster.protocol.MsgType;
import org.p2plab.napster.protocol.SharedFile;

/**
 * The index under a Napster-sized load (not a test; scripts/bench-napster.sh starts the index and
 * runs it). {@code users} users log in over the Napster protocol, each on its own TCP connection,
 * and share {@code files} files each (100 messages), named from a Zipf-distributed vocabulary
 * ({@code C:\MP3\<artist>\<artist> - <title>.mp3}); the connections stay open. Then, for
 * {@code seconds} each, {@code clients} concurrent searchers search over TCP (200 → 201… → 202)
 * and then over REST ({@code GET /search}), with queries of one to three words drawn from the
 * same distribution (so that common words hit the 100-result cap and rare ones find a few files).
 * Prints markdown rows: searches per second, p50 and p99 latency, mean hits.
 * <p>
 * Arguments: host tcpPort httpBaseUrl; system properties {@code users} (10000), {@code files}
 * (100 per user), {@code clients} (8), {@code seconds} (20), {@code warmup} (5).
 */
public final class NapsterLoadBenchmark {

    private final String host;
    private final int port;
    private final String http;
    private final int users = Integer.getInteger("users", 10_000);
    private final int files = Integer.getInteger("files", 100);
    private final int clients = Integer.getInteger("clients", 8);
    private final int seconds = Integer.getInteger("seconds", 20);
    private final int warmup = Integer.getInteger("warmup", 5);
    private final NapsterWorkload workload = new NapsterWorkload();
    private final List<Socket> sharers = new ArrayList<>();

    private NapsterLoadBenchmark(String host, int port, String http) {
        this.host = host;
        this.port = port;
        this.http = http;
    }

    public static void main(String[] args) throws Exception {
        NapsterLoadBenchmark b = new NapsterLoadBenchmark(args[0], Integer.parseInt(args[1]), args[2]);
        b.run();
    }

    private void run() throws Exception {
        long t0 = System.nanoTime();
        load();
        System.err.printf("loaded %d users x %d files in %.1f s%n", users, files, (System.nanoTime() - t0) / 1e9);
        System.out.println("LOADED");
        System.out.flush();
        // the script measures the heap now; it writes a line to our stdin when done
        new BufferedInputStream(System.in).read();
        System.out.println("| transport | clients | searches/s | p50 ms | p99 ms | mean hits |");
        System.out.println("|---|---|---|---|---|---|");
        measure("TCP (Napster 200)", this::tcpSearcher, warmup);
        System.out.println(measure("TCP (Napster 200)", this::tcpSearcher, seconds));
        measure("REST (GET /search)", this::restSearcher, warmup);
        System.out.println(measure("REST (GET /search)", this::restSearcher, seconds));
        if (restErrors.get() > 0) {
            System.err.println("REST searches answered with an error: " + restErrors.get());
        }
        for (Socket s : sharers) {
            s.close();
        }
    }

    // ---- the load ----

    private void load() throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<Socket>> logins = new ArrayList<>();
            for (int u = 0; u < users; u++) {
                int user = u;
                logins.add(pool.submit(() -> share(user)));
            }
            for (Future<Socket> f : logins) {
                sharers.add(f.get());
            }
        }
    }

    /** One user: log in, share its files, keep the connection. */
    private Socket share(int user) throws IOException {
        Socket s = new Socket(host, port);
        s.setTcpNoDelay(true);
        OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        InputStream in = new BufferedInputStream(s.getInputStream());
        out.write(new Frame(MsgType.LOGIN, "u" + user + " pw 6699 \"bench\" " + (user % 11)).encode());
        out.flush();
        FrameReader reader = new FrameReader(in, 0xFFFF);
        Frame ack = ((FrameReader.Ok) reader.read()).frame();
        if (ack.type() != MsgType.LOGIN_ACK) {
            throw new IOException("login of u" + user + " refused: " + ack);
        }
        for (SharedFile f : workload.files(user, files)) {
            out.write(new Frame(MsgType.SHARE, Fields.quote(f.path()) + " " + f.md5() + " " + f.size() + " " + f.bitrate() + " "
                    + f.frequency() + " " + f.length()).encode());
        }
        out.flush();
        // the server's greeting (3, 621..., 214) is in the socket buffer; nothing more comes
        return s;
    }

    // ---- the searches ----

    /** A searcher: runs until the deadline, adding each search's latency (ns) and hits. */
    @FunctionalInterface
    interface Searcher {
        void run(int id, long deadline, ConcurrentLinkedQueue<long[]> samples) throws Exception;
    }

    private String measure(String name, Searcher searcher, int secs) throws Exception {
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long deadline = start + secs * 1_000_000_000L;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                running.add(pool.submit(() -> {
                    searcher.run(id, deadline, samples);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] lat = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        double hits = samples.stream().mapToLong(s -> s[1]).average().orElse(0);
        return String.format("| %s | %d | %.0f | %.2f | %.2f | %.1f |", name, clients, lat.length / elapsed,
                lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, hits);
    }

    private void tcpSearcher(int id, long deadline, ConcurrentLinkedQueue<long[]> samples) throws IOException {
        try (Socket s = new Socket(host, port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            FrameReader reader = new FrameReader(new BufferedInputStream(s.getInputStream()), 0xFFFF);
            out.write(new Frame(MsgType.LOGIN, "searcher" + id + " pw 6699 \"bench\" 7").encode());
            out.flush();
            Frame f;
            do {
                f = ((FrameReader.Ok) reader.read()).frame();
            } while (f.type() != MsgType.STATS); // 3, 621..., then 214
            SplittableRandom r = new SplittableRandom(id * 7919L);
            while (System.nanoTime() < deadline) {
                String q = workload.query(r);
                long t0 = System.nanoTime();
                out.write(new Frame(MsgType.SEARCH, "FILENAME CONTAINS \"" + q + "\" MAX_RESULTS 100").encode());
                out.flush();
                long n = 0;
                while ((f = ((FrameReader.Ok) reader.read()).frame()).type() != MsgType.SEARCH_END) {
                    n += f.type() == MsgType.SEARCH_RESULT ? 1 : 0;
                }
                samples.add(new long[] {System.nanoTime() - t0, n});
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong restErrors = new AtomicLong();

    private void restSearcher(int id, long deadline, ConcurrentLinkedQueue<long[]> samples) throws Exception {
        SplittableRandom r = new SplittableRandom(id * 7919L);
        while (System.nanoTime() < deadline) {
            String q = workload.query(r);
            long t0 = System.nanoTime();
            HttpResponse<byte[]> res = client.send(HttpRequest.newBuilder(URI.create(http + "/search?max=100&q="
                    + URLEncoder.encode(q, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - t0;
            if (res.statusCode() != 200) {
                restErrors.incrementAndGet();
                continue;
            }
            samples.add(new long[] {took, count(res.body())});
        }
    }

    /** The "count" of a search answer, without a JSON library on the class path. */
    static long count(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8);
        int i = s.indexOf("\"count\":");
        if (i < 0) {
            return 0;
        }
        int j = i + 8;
        int k = j;
        while (k < s.length() && Character.isDigit(s.charAt(k))) {
            k++;
        }
        return Long.parseLong(s.substring(j, k));
    }

}
