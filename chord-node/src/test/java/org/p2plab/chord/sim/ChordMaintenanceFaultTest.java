package org.p2plab.chord.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.kv.InMemoryKeyValueStore;
import org.p2plab.overlay.kv.KeyValueStore;

/**
 * A periodic round that throws something unexpected (here: the store, as a closed database
 * would) neither escapes into the timer's thread nor stops later rounds: the node keeps
 * maintaining its replicas and the ring stays correct. (A real node closed mid-round hit exactly
 * this: its replica round ran on after the Spring context was gone.)
 */
class ChordMaintenanceFaultTest {

    @Test
    void aFailingRoundIsContainedAndTheNextRoundsRun() {
        ChordSimulation sim = ChordSimulation.wideArea(99, ChordParams.defaults());
        FlakyStore flaky = new FlakyStore(3);
        AtomicInteger created = new AtomicInteger();
        // the fourth node created gets the store whose first three digests fail
        sim.storesFrom(() -> created.getAndIncrement() == 3 ? flaky : new InMemoryKeyValueStore());
        sim.buildStableRing(8, Duration.ofMinutes(10));

        // without containment the first failure would have escaped the simulator's event loop
        sim.simulator().runFor(Duration.ofMinutes(5));

        assertThat(flaky.failures.get()).isEqualTo(3);
        assertThat(flaky.calls.get()).as("replica rounds after the failures").isGreaterThan(5);
        assertThat(sim.ringAndFingersCorrect()).isTrue();
        assertThat(sim.liveNodes()).filteredOn(n -> n.store() == flaky).singleElement()
                .extracting(ChordNode::isRunning).isEqualTo(true);
    }

    /** Delegates to memory; {@link #versions()} throws for its first {@code failFirst} calls. */
    private static final class FlakyStore implements KeyValueStore {
        private final KeyValueStore delegate = new InMemoryKeyValueStore();
        private final int failFirst;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();

        FlakyStore(int failFirst) {
            this.failFirst = failFirst;
        }

        @Override
        public Optional<DhtEntry> get(String key) {
            return delegate.get(key);
        }

        @Override
        public void put(DhtEntry entry) {
            delegate.put(entry);
        }

        @Override
        public void remove(String key) {
            delegate.remove(key);
        }

        @Override
        public List<DhtEntry> all() {
            return delegate.all();
        }

        @Override
        public List<KeyVersion> versions() {
            if (calls.incrementAndGet() <= failFirst) {
                failures.incrementAndGet();
                throw new IllegalStateException("the database is closed (test)");
            }
            return delegate.versions();
        }
    }
}
