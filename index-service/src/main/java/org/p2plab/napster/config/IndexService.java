package org.p2plab.napster.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tags;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.MsgType;
import org.p2plab.napster.protocol.NapsterConnection;
import org.p2plab.napster.protocol.PasswordHasher;
import org.p2plab.napster.protocol.Session;
import org.p2plab.napster.protocol.UserStore;
import org.p2plab.napster.store.CounterEntity;
import org.p2plab.napster.store.CounterRepository;
import org.p2plab.napster.transport.NapsterTcpServer;
import org.p2plab.overlay.ExecutorTimers;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.context.SmartLifecycle;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The index role: the {@link IndexServer}, its Napster TCP door, the sweep of idle REST sessions
 * and unanswered download requests, the statistics saved to H2, and the metrics.
 */
public class IndexService implements SmartLifecycle {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IndexService.class);

    public static final String SYSTEM = "napster";
    private static final Duration SWEEP = Duration.ofSeconds(1);
    private static final Duration SAVE = Duration.ofSeconds(30);
    /** The message types counted by name in {@code p2p.messages}; any other type is counted as "other". */
    private static final Set<Integer> KNOWN_TYPES = knownTypes();

    private final NapsterProperties properties;
    private final CounterRepository counters;
    private final P2pMetrics metrics;
    private final String bindAddress;
    private final IndexServer server;
    private final ExecutorTimers timers = new ExecutorTimers("napster-index");
    private volatile NapsterTcpServer tcp;
    private volatile boolean running;

    public IndexService(NapsterProperties properties, UserStore users, CounterRepository counters, P2pMetrics metrics,
                        String serverAddress) {
        this.properties = properties;
        this.counters = counters;
        this.metrics = metrics;
        this.bindAddress = properties.bindAddress() == null || properties.bindAddress().isBlank() ? serverAddress
                : properties.bindAddress();
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(properties.passwordCost());
        // at most one hash per core at a time: a burst of logins queues here (virtual threads park) instead of taking every
        // carrier thread away from the connections' readers and writers
        java.util.concurrent.Semaphore cores = new java.util.concurrent.Semaphore(Runtime.getRuntime().availableProcessors());
        PasswordHasher hasher = new PasswordHasher() {
            @Override
            public String hash(String password) {
                return bounded(() -> bcrypt.encode(password));
            }

            @Override
            public boolean matches(String password, String hash) {
                return bounded(() -> bcrypt.matches(password, hash));
            }

            private <T> T bounded(java.util.function.Supplier<T> work) {
                cores.acquireUninterruptibly();
                try {
                    return work.get();
                }
                finally {
                    cores.release();
                }
            }
        };
        this.server = new IndexServer(users, hasher, new IndexServer.Params(properties.maxResults(), properties.maxSharesPerUser(),
                properties.autoRegister(), properties.acceptTimeout(), properties.sessionTtl()), Clock.systemUTC());
        Map<String, Long> saved = new java.util.HashMap<>();
        counters.findAll().forEach(c -> saved.put(c.getName(), c.getValue()));
        server.restoreCounters(saved.getOrDefault("logins", 0L), saved.getOrDefault("searches", 0L),
                saved.getOrDefault("downloads", 0L), saved.getOrDefault("pushes", 0L));
        metrics.prepare(SYSTEM, "search", P2pMetrics.FOUND, P2pMetrics.NOT_FOUND);
        metrics.prepare(SYSTEM, "download", P2pMetrics.FOUND, P2pMetrics.FAILED);
        server.observer(new IndexServer.Observer() {
            @Override
            public void searched(Duration took, int hits) {
                metrics.recordLookup(SYSTEM, "search", hits > 0 ? P2pMetrics.FOUND : P2pMetrics.NOT_FOUND, took, 1);
            }

            @Override
            public void brokered(Duration took, boolean accepted) {
                metrics.recordLookup(SYSTEM, "download", accepted ? P2pMetrics.FOUND : P2pMetrics.FAILED, took, 1);
            }
        });
    }

    private static Set<Integer> knownTypes() {
        Set<Integer> types = new java.util.HashSet<>();
        for (java.lang.reflect.Field f : MsgType.class.getFields()) {
            if (f.getType() == int.class && !f.getName().equals("MAX_SENT")) {
                try {
                    types.add(f.getInt(null));
                }
                catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        types.add(870);
        types.add(609);
        return Set.copyOf(types);
    }

    public IndexServer server() {
        return server;
    }

    /** The Napster TCP port (known once started). */
    public int tcpPort() {
        NapsterTcpServer t = tcp;
        return t == null ? -1 : t.port();
    }

    public int tcpConnections() {
        NapsterTcpServer t = tcp;
        return t == null ? 0 : t.connections();
    }

    @Override
    public void start() {
        try {
            tcp = new NapsterTcpServer(server, new NapsterConnection.Greeting(properties.serverName(), properties.motd()),
                    new NapsterTcpServer.Config(bindAddress, properties.port(), properties.maxPayload(), properties.loginTimeout(),
                            (int) properties.queueSize().toBytes(), properties.writeTimeout(), properties.maxConnections()),
                    (type, in) -> metrics.message(SYSTEM, KNOWN_TYPES.contains(type) ? Integer.toString(type) : "other",
                            in ? P2pMetrics.IN : P2pMetrics.OUT));
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot listen on the Napster port " + properties.port(), e);
        }
        registerMetrics();
        schedule(SWEEP, server::sweep);
        schedule(SAVE, this::saveCounters);
        running = true;
        LOG.info("napster index: Napster protocol on TCP {}", tcp.port());
    }

    private void schedule(Duration period, Runnable task) {
        timers.schedule(period, () -> {
            try {
                task.run();
            }
            catch (RuntimeException e) {
                LOG.error("napster index: periodic task failed", e);
            }
            if (running) {
                schedule(period, task);
            }
        });
    }

    private void saveCounters() {
        IndexServer.Stats s = server.stats();
        counters.saveAll(java.util.List.of(new CounterEntity("logins", s.logins()), new CounterEntity("searches", s.searches()),
                new CounterEntity("downloads", s.downloadsBrokered()), new CounterEntity("pushes", s.pushes())));
    }

    private void registerMetrics() {
        var registry = metrics.registry();
        metrics.gauge("p2p.napster.users", SYSTEM, () -> server.sessions().size());
        for (Session.Transport t : Session.Transport.values()) {
            metrics.gauge("p2p.napster.sessions", SYSTEM, Tags.of("transport", t.name().toLowerCase(java.util.Locale.ROOT)),
                    () -> server.sessions().stream().filter(s -> s.transport() == t).count());
        }
        metrics.gauge("p2p.napster.files", SYSTEM, () -> server.stats().files());
        metrics.gauge("p2p.napster.bytes", SYSTEM, () -> server.stats().bytes());
        metrics.gauge("p2p.napster.words", SYSTEM, server::indexedWords);
        metrics.gauge("p2p.napster.registered", SYSTEM, () -> server.stats().registered());
        metrics.gauge("p2p.napster.tcp.connections", SYSTEM, this::tcpConnections);
        FunctionCounter.builder("p2p.napster.logins", server, s -> s.stats().logins()).tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.napster.pushes", server, s -> s.stats().pushes()).tag("system", SYSTEM).register(registry);
        FunctionCounter.builder("p2p.napster.dropped", this, s -> s.tcp == null ? 0 : s.tcp.dropped())
                .description("messages other users' actions sent a client that was not reading, dropped").tag("system", SYSTEM)
                .register(registry);
        FunctionCounter.builder("p2p.napster.protocol.errors", this, s -> s.tcp == null ? 0 : s.tcp.errorsSent())
                .description("error replies (0, 10, 404) sent on the Napster TCP port").tag("system", SYSTEM).register(registry);
    }

    @Override
    public void stop() {
        running = false;
        try {
            saveCounters();
        }
        catch (RuntimeException e) {
            LOG.warn("napster index: could not save the statistics: {}", e.toString());
        }
        NapsterTcpServer t = tcp;
        if (t != null) {
            t.close();
        }
        timers.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
