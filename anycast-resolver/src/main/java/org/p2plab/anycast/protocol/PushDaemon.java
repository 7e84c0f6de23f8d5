package org.p2plab.anycast.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.OptionalDouble;
import java.util.random.RandomGenerator;

import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.Timers;

/**
 * The content server's push daemon: it registers the server with its resolver (until that
 * succeeds), then every push interval pushes the smoothed TUFR if it changed significantly
 * ({@link TufrSmoother}). A push that does not arrive is pushed again at the next tick; a
 * resolver that has forgotten the server (restarted) gets a new registration. A server whose
 * TUFR stays put still pushes it every {@value #REFRESH_INTERVALS} push intervals, so that a
 * resolver that lost its groups hears of it again and one that marked it unreachable knows it is
 * back. Plain Java, driven by its timers.
 */
public final class PushDaemon {

    /** Push intervals without a push after which the unchanged value is pushed anyway. */
    public static final int REFRESH_INTERVALS = 10;

    /**
     * @param group         the ADN of the group this server belongs to
     * @param serverUrl     this server's URL, as clients reach it
     * @param cost          its policy cost attribute
     * @param resolver      the URL of its (authoritative) resolver
     * @param pushInterval  how often the smoothed TUFR is checked for a significant change
     * @param retryInterval how soon a failed registration is tried again
     */
    public record Params(Adn group, String serverUrl, double cost, String resolver, Duration pushInterval, Duration retryInterval) {
        public Params {
            group = group.group();
            if (pushInterval.isNegative() || pushInterval.isZero() || retryInterval.isNegative() || retryInterval.isZero()) {
                throw new IllegalArgumentException("the push and retry intervals must be positive");
            }
        }
    }

    /** What the daemon has done. */
    public record Status(boolean registered, String memberId, long registrations, long pushes, long failedPushes,
                         OptionalDouble lastPushedMillis, Instant lastPush, String lastError) {
    }

    private final Params params;
    private final AnycastPeer peer;
    private final TufrSmoother smoother;
    private final Timers timers;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Object lock = new Object();
    private boolean registered;
    private String memberId;
    private long registrations;
    private long pushes;
    private long failedPushes;
    private double lastPushed = Double.NaN;
    private Instant lastPush;
    private String lastError;
    private volatile boolean stopped;
    private volatile Timers.Cancellable next;

    public PushDaemon(Params params, AnycastPeer peer, TufrSmoother smoother, Timers timers, InstantSource clock,
                      RandomGenerator random) {
        this.params = params;
        this.peer = peer;
        this.smoother = smoother;
        this.timers = timers;
        this.clock = clock;
        this.random = random;
    }

    public void start() {
        next = timers.schedule(Duration.ZERO, this::tick);
    }

    public void stop() {
        stopped = true;
        Timers.Cancellable n = next;
        if (n != null) {
            n.cancel();
        }
    }

    /** One request's TUFR, measured by the server. */
    public void observe(double tufrMillis) {
        smoother.observe(tufrMillis);
    }

    /** The smoothed TUFR: what the probe file holds. */
    public OptionalDouble tufr() {
        return smoother.smoothed();
    }

    public Params params() {
        return params;
    }

    /** Registers if not registered, else pushes if the TUFR changed significantly; then re-arms. */
    void tick() {
        if (stopped) {
            return;
        }
        boolean ok = registeredOrRegister();
        if (ok) {
            pushIfSignificant();
        }
        if (!stopped) {
            next = timers.schedule(ok ? Jitter.around(params.pushInterval(), random) : params.retryInterval(), this::tick);
        }
    }

    private boolean registeredOrRegister() {
        synchronized (lock) {
            if (registered) {
                return true;
            }
        }
        try {
            AnycastGroup.Member m = peer.register(params.resolver(), params.group(), params.serverUrl(), params.cost());
            synchronized (lock) {
                registered = true;
                memberId = m.id();
                registrations++;
                lastError = null;
            }
            smoother.rearm(); // the (new) resolver hears the current value at once
            return true;
        }
        catch (PeerUnavailableException | AnycastPeer.RefusedException e) {
            synchronized (lock) {
                lastError = "registration with " + params.resolver() + " failed: " + e.getMessage();
            }
            return false;
        }
    }

    private void pushIfSignificant() {
        synchronized (lock) {
            if (lastPush != null && !clock.instant().isBefore(lastPush.plus(params.pushInterval().multipliedBy(REFRESH_INTERVALS)))) {
                smoother.rearm();
            }
        }
        OptionalDouble value = smoother.pushIfSignificant();
        if (value.isEmpty()) {
            return;
        }
        try {
            boolean known = peer.push(params.resolver(), params.group(), params.serverUrl(), value.getAsDouble());
            synchronized (lock) {
                if (known) {
                    pushes++;
                    lastPushed = value.getAsDouble();
                    lastPush = clock.instant();
                    lastError = null;
                }
                else {
                    registered = false; // the resolver forgot us: register again at the next tick
                    lastError = "the resolver does not know this server; registering again";
                }
            }
            if (!known) {
                smoother.rearm();
            }
        }
        catch (PeerUnavailableException | AnycastPeer.RefusedException e) {
            smoother.rearm();
            synchronized (lock) {
                failedPushes++;
                lastError = "push to " + params.resolver() + " failed: " + e.getMessage();
            }
        }
    }

    public Status status() {
        synchronized (lock) {
            return new Status(registered, memberId, registrations, pushes, failedPushes,
                    Double.isNaN(lastPushed) ? OptionalDouble.empty() : OptionalDouble.of(lastPushed), lastPush, lastError);
        }
    }
}
