package org.p2plab.gnutella.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.Messages;

/**
 * This servent's own searches: the QueryHits that come back for each (one result per file per
 * servent), whether it is still live (hits arrive for {@code lifetime} after it was sent), and
 * the watchers of its live event stream. Hits are added from the routing node's lock and handed
 * to watchers on an executor, so that a slow watcher never holds up routing.
 */
public final class Searches {

    /**
     * One result: who has it, where to get it, how far away ({@code hops}: the links between this
     * servent and the one that has the file, that is the QueryHit's hops on arrival + 1).
     */
    public record Result(String peer, long index, String name, long size, String sha1, int hops, long speed, String servent,
                         boolean push, boolean busy, String vendor) {
    }

    /** Watches a search: each new result, then the end. */
    public interface Watcher {
        void result(Result r);

        void ended();
    }

    /**
     * {@code w} behind a queue of its own, emptied by a thread of its own: a watcher that is slow
     * (an event stream to a client that does not read) holds up nobody else. When its queue is
     * full, results are dropped for it (and counted in {@code dropped}); the end always arrives.
     */
    public static Watcher buffered(Watcher w, int capacity, java.util.concurrent.atomic.AtomicLong dropped) {
        java.util.concurrent.BlockingQueue<Result> q = new java.util.concurrent.ArrayBlockingQueue<>(capacity);
        java.util.concurrent.atomic.AtomicBoolean ending = new java.util.concurrent.atomic.AtomicBoolean();
        Thread.ofVirtual().name("gnutella-watcher").start(() -> {
            try {
                while (true) {
                    Result r = q.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (r != null) {
                        w.result(r);
                    }
                    else if (ending.get()) {
                        w.ended();
                        return;
                    }
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return new Watcher() {
            @Override
            public void result(Result r) {
                if (!q.offer(r)) {
                    dropped.incrementAndGet();
                }
            }

            @Override
            public void ended() {
                ending.set(true);
            }
        };
    }

    /** A search and what it found so far. */
    public final class Search {
        private final String id;
        private final String query;
        private final int ttl;
        private final long started;
        private final long endsAt;
        private final List<Result> results = new ArrayList<>();
        private final java.util.Set<String> keys = new java.util.HashSet<>();
        private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
        private long firstHitAt;
        private int firstHitHops;
        private boolean stopped;
        private long stoppedAt;
        private boolean endReported;

        Search(String id, String query, int ttl, long started, long endsAt) {
            this.id = id;
            this.query = query;
            this.ttl = ttl;
            this.started = started;
            this.endsAt = endsAt;
        }

        public String id() {
            return id;
        }

        public String query() {
            return query;
        }

        public int ttl() {
            return ttl;
        }

        public long started() {
            return started;
        }

        public synchronized boolean live(long now) {
            return !stopped && now < endsAt;
        }

        public synchronized List<Result> results() {
            return List.copyOf(results);
        }

        /** Milliseconds to the first hit and its hops; null while there is none. */
        public synchronized long[] firstHit() {
            return firstHitAt == 0 ? null : new long[] {firstHitAt - started, firstHitHops};
        }

        /** Adds a watcher; it gets the results so far at once, and {@code ended} if the search is over. Returns the unsubscribe. */
        public Runnable watch(Watcher w, long now) {
            List<Result> sofar;
            boolean over;
            synchronized (this) {
                sofar = List.copyOf(results);
                over = !live(now);
                if (!over) {
                    watchers.add(w);
                }
            }
            run(() -> {
                sofar.forEach(w::result);
                if (over) {
                    w.ended();
                }
            });
            return () -> watchers.remove(w);
        }

        boolean add(Result r, long now) {
            synchronized (this) {
                if (!live(now) || results.size() >= maxResults || !keys.add(r.servent() + "/" + r.index())) {
                    return false;
                }
                results.add(r);
                if (firstHitAt == 0) {
                    firstHitAt = now;
                    firstHitHops = r.hops();
                }
            }
            for (Watcher w : watchers) {
                run(() -> w.result(r));
            }
            return true;
        }

        /** Ends it if its time is up (or it was stopped); true the first time it is found ended. */
        boolean endIfOver(long now) {
            synchronized (this) {
                if (live(now) || endReported) {
                    return false;
                }
                endReported = true;
            }
            for (Watcher w : watchers) {
                run(w::ended);
            }
            watchers.clear();
            return true;
        }

        /** Stops collecting hits (at {@code now}). */
        public synchronized void stop(long now) {
            if (!stopped && now < endsAt) {
                stopped = true;
                stoppedAt = now;
            }
        }

        /** How long it was (or has been so far) live: until its lifetime ran out or it was stopped. */
        public synchronized long liveMillis() {
            return (stopped ? stoppedAt : endsAt) - started;
        }
    }

    private final long lifetimeMs;
    private final int maxResults;
    private final int keep;
    private final ExecutorService executor;
    private final Map<String, Search> searches = new LinkedHashMap<>();

    /**
     * @param lifetimeMs how long a search stays live
     * @param maxResults results kept per search
     * @param keep       searches remembered (the oldest ended ones are forgotten)
     * @param executor   where watchers are called
     */
    public Searches(long lifetimeMs, int maxResults, int keep, ExecutorService executor) {
        this.lifetimeMs = lifetimeMs;
        this.maxResults = maxResults;
        this.keep = keep;
        this.executor = executor;
    }

    /** Hands a watcher call to the executor; after shutdown there is nobody left to tell. */
    private void run(Runnable r) {
        try {
            executor.execute(r);
        }
        catch (java.util.concurrent.RejectedExecutionException e) {
            // the servent is closing
        }
    }

    public synchronized Search start(Guid guid, String query, int ttl, long now) {
        Search s = new Search(guid.hex(), query, ttl, now, now + lifetimeMs);
        searches.put(s.id(), s);
        if (searches.size() > keep) {
            searches.values().stream().filter(x -> !x.live(now)).findFirst().ifPresent(x -> searches.remove(x.id()));
        }
        return s;
    }

    public synchronized Search get(String id) {
        return id == null ? null : searches.get(id.toLowerCase(java.util.Locale.ROOT));
    }

    public synchronized List<Search> all() {
        return List.copyOf(searches.values());
    }

    /** A QueryHit for {@code query}: its results go to that search (if it is still live). */
    public void hit(Guid query, Messages.QueryHit hit, int hops, long now) {
        Search s = get(query.hex());
        if (s == null) {
            return;
        }
        boolean push = hit.qhd() != null && Boolean.TRUE.equals(hit.qhd().push());
        boolean busy = hit.qhd() != null && Boolean.TRUE.equals(hit.qhd().busy());
        String vendor = hit.qhd() == null ? "" : hit.qhd().vendor();
        for (Messages.Result r : hit.results()) {
            String sha1 = r.urns().stream().filter(u -> u.regionMatches(true, 0, "urn:sha1:", 0, 9)).map(u -> u.substring(9))
                    .findFirst().orElse(null);
            s.add(new Result(hit.ip() + ":" + hit.port(), r.index(), r.name(), r.size(), sha1, hops + 1, hit.speed(), hit.servent().hex(), push,
                    busy, vendor), now);
        }
    }

    /** Ends the searches whose time is up; each ended search is given to {@code ended} once. */
    public void expire(long now, Consumer<Search> ended) {
        for (Search s : all()) {
            if (s.endIfOver(now)) {
                ended.accept(s);
            }
        }
    }
}
