package org.p2plab.anycast.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.AnycastGroup;
import org.p2plab.anycast.protocol.AnycastPeer;
import org.p2plab.anycast.protocol.PushDaemon;
import org.p2plab.anycast.protocol.Resolver;
import org.p2plab.anycast.protocol.ServerLoad;
import org.p2plab.anycast.protocol.TufrSmoother;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.sim.LatencyModel;
import org.p2plab.overlay.sim.SimNetwork;
import org.p2plab.overlay.sim.Simulator;

/**
 * The service's protocol roles, unchanged, in the deterministic simulator: {@link Resolver}s and
 * content servers with their {@link PushDaemon}s, every call through {@link SimNetwork} (latency
 * modelled, messages counted, a node that is down times out), every timer on virtual time. A
 * content server's request takes its {@link ServerLoad} delay of virtual time, and that is its
 * TUFR. Node names are their URLs.
 */
public final class AnycastSimulation {

    /** A simulated content server: its load knobs and its push daemon. */
    public final class Server {
        private final String url;
        private final ServerLoad load;
        private PushDaemon daemon;

        Server(String url, ServerLoad load) {
            this.url = url;
            this.load = load;
        }

        public String url() {
            return url;
        }

        public ServerLoad load() {
            return load;
        }

        public PushDaemon daemon() {
            return daemon;
        }

        /** Serves one request "at" the server: its delay passes, and it is measured as the TUFR. */
        double serve() {
            Duration d = load.enter();
            try {
                simulator.advance(d);
            }
            finally {
                load.exit();
            }
            double tufr = d.toNanos() / 1e6;
            daemon.observe(tufr);
            return tufr;
        }
    }

    private final Simulator simulator;
    private final SimNetwork network;
    private final Map<String, Resolver> resolvers = new LinkedHashMap<>();
    private final Map<String, Server> servers = new LinkedHashMap<>();
    private final Duration pushInterval;

    public AnycastSimulation(long seed, LatencyModel latency, Duration pushInterval) {
        this.simulator = new Simulator(seed);
        this.network = new SimNetwork(simulator, latency, LatencyModel.WIDE_AREA_TIMEOUT);
        this.pushInterval = pushInterval;
    }

    public Simulator simulator() {
        return simulator;
    }

    public SimNetwork network() {
        return network;
    }

    public Map<String, Resolver> resolvers() {
        return resolvers;
    }

    public Map<String, Server> servers() {
        return servers;
    }

    /** A resolver at {@code url}, started. */
    public Resolver resolver(String url, Resolver.Params params) {
        Resolver r = new Resolver(params, peer(url), simulator.timersFor(url), simulator.instantSource(), simulator.random());
        resolvers.put(url, r);
        r.start();
        return r;
    }

    /** A content server at {@code url} in {@code group}, registering with {@code resolver}, started. */
    public Server server(String url, Adn group, String resolver, double cost, ServerLoad.Settings settings) {
        Server s = new Server(url, new ServerLoad(settings));
        s.daemon = new PushDaemon(new PushDaemon.Params(group, url, cost, resolver, pushInterval, pushInterval.multipliedBy(2)),
                peer(url), new TufrSmoother(0.5, 0.1), simulator.timersFor(url), simulator.instantSource(), simulator.random());
        servers.put(url, s);
        s.daemon.start();
        return s;
    }

    /** A client at {@code client} fetching from {@code server} every {@code every}, from now on. */
    public void clientLoad(String client, String server, Duration every) {
        simulator.timersFor(client).schedule(every, () -> {
            try {
                network.call(client, server, "request", () -> servers.get(server).serve());
            }
            catch (PeerUnavailableException down) {
                // the client gives up on this one
            }
            clientLoad(client, server, every);
        });
    }

    /** Replaces the resolver at {@code url} by a fresh one (a restart that lost its groups). */
    public Resolver restartResolver(String url) {
        Resolver old = resolvers.remove(url);
        old.stop();
        return resolver(url, old.params());
    }

    private AnycastPeer peer(String from) {
        return new AnycastPeer() {
            @Override
            public Probe probe(String serverUrl) {
                long start = simulator.nowNanos();
                double tufr = network.call(from, serverUrl, "probe", () -> servers.get(serverUrl).serve());
                return new Probe((simulator.nowNanos() - start) / 1e6, tufr);
            }

            @Override
            public boolean push(String resolver, Adn group, String serverUrl, double tufrMillis) {
                return network.call(from, resolver, "push", () -> resolvers.get(resolver).handlePush(group, serverUrl, tufrMillis));
            }

            @Override
            public AnycastGroup.Member register(String resolver, Adn group, String serverUrl, double cost) {
                return network.call(from, resolver, "register", () -> {
                    try {
                        return resolvers.get(resolver).register(group, serverUrl, cost);
                    }
                    catch (Resolver.NotAuthoritativeException e) {
                        throw new RefusedException(e.getMessage());
                    }
                });
            }

            @Override
            public Optional<List<AnycastGroup.Metrics>> group(String resolver, Adn group) {
                return network.call(from, resolver, "group", () -> resolvers.get(resolver).snapshot(group));
            }
        };
    }
}
