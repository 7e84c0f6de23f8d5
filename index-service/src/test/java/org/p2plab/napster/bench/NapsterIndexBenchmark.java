package org.p2plab.napster.bench;

import java.lang.management.ManagementFactory;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.p2plab.napster.protocol.DownloadTicket;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.PasswordHasher;
import org.p2plab.napster.protocol.SearchRequest;
import org.p2plab.napster.protocol.Session;
import org.p2plab.napster.protocol.SessionLink;
import org.p2plab.napster.protocol.UserStore;

/**
 * The index alone, in this JVM, no network (not a test; scripts/bench-napster.sh runs it): the
 * same users and files as {@link NapsterLoadBenchmark}, logged in to an {@link IndexServer}
 * directly; the heap the index holds (after a full GC, before and after), and searches per second
 * with 1 and 2 threads, p50 and p99. What the wire and HTTP add is the difference to the load
 * benchmark's numbers.
 * <p>
 * System properties {@code users} (10000), {@code files} (100), {@code seconds} (10).
 */
public final class NapsterIndexBenchmark {

    private static final SessionLink QUIET = new SessionLink() {
        @Override
        public void uploadRequest(String downloader, String path, int downloaderSpeed) {
        }

        @Override
        public void downloadAck(DownloadTicket ticket) {
        }

        @Override
        public void downloadError(String nick, String path) {
        }

        @Override
        public void acceptFailed(String nick, String path) {
        }

        @Override
        public void queueLimit(String uploader, String path, long size, int limit) {
        }

        @Override
        public void pushRequest(String downloader, String ip, int port, String path, String md5, int downloaderSpeed) {
        }

        @Override
        public void userSignon(String nick, int linkSpeed) {
        }

        @Override
        public void userSignoff(String nick) {
        }

        @Override
        public void pinged(String by) {
        }

        @Override
        public void ponged(String by) {
        }

        @Override
        public void error(String text) {
        }

        @Override
        public void ended(String reason) {
        }
    };

    private static final PasswordHasher PLAIN = new PasswordHasher() {
        @Override
        public String hash(String password) {
            return password;
        }

        @Override
        public boolean matches(String password, String hash) {
            return password.equals(hash);
        }
    };

    public static void main(String[] args) throws Exception {
        int users = Integer.getInteger("users", 10_000);
        int files = Integer.getInteger("files", 100);
        int seconds = Integer.getInteger("seconds", 10);
        NapsterWorkload workload = new NapsterWorkload();
        IndexServer server = new IndexServer(UserStore.inMemory(), PLAIN, IndexServer.Params.defaults(), InstantSource.system());
        long before = heapAfterGc();
        long t0 = System.nanoTime();
        for (int u = 0; u < users; u++) {
            Session s = server.login(new IndexServer.Login("u" + u, "pw", 6699, "bench", u % 11, null, "127.0.0.1",
                    Session.Transport.TCP, false), QUIET);
            server.share(s, List.of(workload.files(u, files)));
        }
        double load = (System.nanoTime() - t0) / 1e9;
        long after = heapAfterGc();
        IndexServer.Stats st = server.stats();
        System.out.printf("index alone: %d users, %d files, %d words; loaded in %.1f s (%.0f files/s); heap %d MB "
                + "(%d bytes per file, users and sessions included)%n", st.users(), st.files(), server.indexedWords(), load,
                st.files() / load, (after - before) >> 20, (after - before) / Math.max(1, st.files()));
        System.out.println();
        System.out.println("| in process | threads | searches/s | p50 µs | p99 µs | mean hits |");
        System.out.println("|---|---|---|---|---|---|");
        for (int threads : new int[] {1, 2}) {
            run(server, workload, threads, 3); // warm-up
            System.out.println(run(server, workload, threads, seconds));
        }
    }

    private static String run(IndexServer server, NapsterWorkload workload, int threads, int seconds) throws Exception {
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        long deadline = start + seconds * 1_000_000_000L;
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                running.add(pool.submit(() -> {
                    SplittableRandom r = new SplittableRandom(id * 7919L);
                    List<long[]> mine = new ArrayList<>();
                    while (System.nanoTime() < deadline) {
                        SearchRequest q = new SearchRequest(workload.query(r), 100, null, null, null, null, null);
                        long t0 = System.nanoTime();
                        int hits = server.search(null, q).size();
                        mine.add(new long[] {System.nanoTime() - t0, hits});
                    }
                    samples.addAll(mine);
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] lat = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        double hits = samples.stream().mapToLong(s -> s[1]).average().orElse(0);
        return String.format("| IndexServer.search | %d | %.0f | %.0f | %.0f | %.1f |", threads, lat.length / elapsed,
                lat[lat.length / 2] / 1e3, lat[(int) (lat.length * 0.99)] / 1e3, hits);
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200); // a measurement, not a protocol wait: let the collector finish
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
