package org.p2plab.gnutella.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routing rules on one node, its neighbours played by recording links. */
class GnutellaNodeTest {

    /** A neighbour that records what the node sends it. */
    static final class Recorder implements GnutellaNode.Link {
        final String id;
        final boolean ultrapeer;
        final List<Packet> got = new ArrayList<>();

        Recorder(String id, boolean ultrapeer) {
            this.id = id;
            this.ultrapeer = ultrapeer;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean ultrapeer() {
            return ultrapeer;
        }

        @Override
        public void send(Packet p) {
            got.add(p);
        }

        List<Integer> types() {
            return got.stream().map(Packet::type).toList();
        }
    }

    final SplittableRandom random = new SplittableRandom(7);
    final Library library = new Library();
    final List<Messages.QueryHit> hitsForMe = new ArrayList<>();
    final List<Messages.Push> pushesForMe = new ArrayList<>();
    GnutellaNode node;
    Recorder a;
    Recorder b;
    Recorder leaf;

    @BeforeEach
    void node() {
        node = new GnutellaNode(Guid.random(random), GnutellaNode.Params.defaults(true), library,
                new GnutellaNode.Self("10.0.0.9", 6346, 500, false), InstantSource.system(), random, new GnutellaNode.Listener() {
                    @Override
                    public void queryHit(Guid query, Messages.QueryHit hit, int hops) {
                        hitsForMe.add(hit);
                    }

                    @Override
                    public void push(Messages.Push push) {
                        pushesForMe.add(push);
                    }
                });
        a = new Recorder("a", true);
        b = new Recorder("b", true);
        leaf = new Recorder("leaf", false);
        node.connected(a);
        node.connected(b);
        node.connected(leaf);
    }

    Packet query(String words, int ttl, int hops) {
        return new Packet(Guid.random(random), Packet.QUERY, ttl, hops, new Messages.Query(Messages.FLAG_MARK, words, List.of()).encode());
    }

    @Test
    void aQueryIsForwardedOnceWithOneHopLessAndDuplicatesAreDropped() {
        Packet q = query("beatles", 3, 0);
        node.onPacket(a, q);
        node.onPacket(b, q); // the same query over another path
        assertThat(a.got).isEmpty();
        assertThat(b.got).singleElement().satisfies(p -> assertThat(p).extracting(Packet::ttl, Packet::hops).containsExactly(2, 1));
        assertThat(leaf.got).hasSize(1);
        assertThat(node.stats().duplicates()).isEqualTo(1);
        // a Ping with the same GUID is another message: (GUID, type)
        node.onPacket(a, new Packet(q.guid(), Packet.PING, 1, 0, new byte[0]));
        assertThat(a.types()).containsExactly(Packet.PONG);
    }

    @Test
    void ttlOneReachesLeavesButNotUltrapeersAndTtlPlusHopsIsClamped() {
        node.onPacket(a, query("beatles", 1, 3));
        assertThat(b.got).isEmpty();
        assertThat(leaf.got).as("an ultrapeer's leaves get queries whatever the TTL").hasSize(1);
        assertThat(node.stats().ttlExpired()).isEqualTo(1);
        node.onPacket(a, query("stones", 10, 2)); // TTL + hops 12 > 7: TTL 5, forwarded with 4
        assertThat(b.got).singleElement().extracting(Packet::ttl).isEqualTo(4);
        assertThat(node.stats().clamped()).isEqualTo(1);
        // hops beyond the max: TTL 0 after the clamp, handled here and forwarded nowhere (the fuzzer's first find)
        b.got.clear();
        node.onPacket(a, query("pink floyd", 5, 130));
        assertThat(b.got).isEmpty();
    }

    @Test
    void hitsGoBackAlongTheReversePathAndPushesFollowTheServent() {
        Packet q = query("beatles", 5, 1);
        node.onPacket(a, q);
        Guid servent = Guid.random(random);
        Messages.QueryHit hit = new Messages.QueryHit(6346, "10.0.0.7", 100, List.of(new Messages.Result(3, 10, "beatles.mp3", List.of())),
                new Messages.Qhd("P2PL", true, false, null), servent);
        node.onPacket(b, new Packet(q.guid(), Packet.QUERY_HIT, 4, 1, hit.encode()));
        assertThat(a.types()).containsExactly(Packet.QUERY_HIT);
        assertThat(a.got.get(0)).extracting(Packet::ttl, Packet::hops).containsExactly(3, 2);
        assertThat(node.stats().routedHits()).isEqualTo(1);
        // a hit nobody asked for goes nowhere
        node.onPacket(b, new Packet(Guid.random(random), Packet.QUERY_HIT, 4, 1, hit.encode()));
        assertThat(node.stats().unroutable()).isEqualTo(1);
        // a Push for that servent goes to b, which delivered its hit
        node.onPacket(a, new Packet(Guid.random(random), Packet.PUSH, 5, 0, new Messages.Push(servent, 3, "10.0.0.1", 6346).encode()));
        assertThat(b.types()).containsExactly(Packet.QUERY, Packet.PUSH);
        // and a Push for this node is its own
        node.onPacket(a, new Packet(Guid.random(random), Packet.PUSH, 5, 0, new Messages.Push(node.servent(), 1, "10.0.0.1", 6346).encode()));
        assertThat(pushesForMe).hasSize(1);
    }

    @Test
    void localFilesAreAnsweredWithOneHitCarryingTheServentAndTheBusyFlag() {
        library.add("Beatles - Help.mp3", 3000, "PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
        node.busyWhen(q -> true);
        Packet q = query("help beatles", 7, 2);
        node.onPacket(a, q);
        Packet hitPacket = a.got.get(0);
        assertThat(hitPacket.type()).isEqualTo(Packet.QUERY_HIT);
        assertThat(hitPacket.guid()).isEqualTo(q.guid());
        assertThat(hitPacket.ttl()).as("at least the query's hops + 2").isEqualTo(4);
        Messages.QueryHit hit = Messages.QueryHit.decode(hitPacket.payload());
        assertThat(hit.servent()).isEqualTo(node.servent());
        assertThat(hit.qhd().busy()).isTrue();
        assertThat(hit.results()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("Beatles - Help.mp3");
            assertThat(r.urns()).containsExactly("urn:sha1:PLSTHIPQGSSZTS5FJUPAKUZWUGYQYPFB");
        });
    }

    @Test
    void aLeafRoutesNothingAndItsOwnSearchesGoToItsUltrapeers() {
        GnutellaNode leafNode = new GnutellaNode(Guid.random(random), GnutellaNode.Params.defaults(false), new Library(),
                new GnutellaNode.Self("10.0.0.8", 6346, 50, false), InstantSource.system(), random, new GnutellaNode.Listener() { });
        Recorder up1 = new Recorder("up1", true);
        Recorder up2 = new Recorder("up2", true);
        leafNode.connected(up1);
        leafNode.connected(up2);
        leafNode.onPacket(up1, query("beatles", 5, 1));
        assertThat(up2.got).isEmpty();
        Guid mine = leafNode.search("beatles", 3);
        assertThat(up1.got).singleElement().extracting(Packet::guid).isEqualTo(mine);
        assertThat(up2.got).hasSize(1);
    }

    @Test
    void pingsAreAnsweredFromThePongCacheNotFlooded() {
        Messages.Pong fromB = new Messages.Pong(6347, "10.0.0.2", 5, 100, List.of());
        node.onPacket(b, new Packet(Guid.random(random), Packet.PONG, 6, 1, fromB.encode()));
        node.onPacket(a, new Packet(Guid.random(random), Packet.PING, 7, 0, new byte[0]));
        assertThat(b.types()).as("the ping is not forwarded").isEmpty();
        assertThat(a.got).extracting(Packet::type).containsExactly(Packet.PONG, Packet.PONG);
        assertThat(Messages.Pong.decode(a.got.get(0).payload()).ip()).as("its own pong first").isEqualTo("10.0.0.9");
        assertThat(Messages.Pong.decode(a.got.get(1).payload()).ip()).isEqualTo("10.0.0.2");
        assertThat(a.got.get(1).hops()).isEqualTo(2);
        // a keep-alive (TTL 1) gets exactly one pong
        a.got.clear();
        node.onPacket(a, new Packet(Guid.random(random), Packet.PING, 1, 0, new byte[0]));
        assertThat(a.types()).containsExactly(Packet.PONG);
    }

    @Test
    void aLeafsQrpTableDecidesWhichQueriesItGets() {
        Library leafFiles = new Library();
        leafFiles.add("Rolling Stones - Angie.mp3", 100, null);
        node.onPacket(a, query("nothing matches this", 3, 0));
        assertThat(leaf.got).hasSize(1); // no table yet: every query
        for (byte[] p : Qrp.Table.of(leafFiles.all(), Qrp.DEFAULT_BITS).payloads()) {
            node.onPacket(leaf, new Packet(Guid.random(random), Qrp.ROUTE_TABLE_UPDATE, 1, 0, p));
        }
        assertThat(node.qrpTable(leaf)).isNotNull();
        leaf.got.clear();
        node.onPacket(a, query("angie stones", 3, 0));
        node.onPacket(a, query("beatles", 3, 0));
        node.onPacket(a, query("rolling beatles", 3, 0));
        assertThat(leaf.got).extracting(p -> Messages.Query.decode(p.payload()).criteria()).containsExactly("angie stones");
        assertThat(b.got).hasSize(4); // ultrapeers get them all

        // a broken sequence drops the table: the leaf gets everything again until its next RESET
        node.onPacket(leaf, new Packet(Guid.random(random), Qrp.ROUTE_TABLE_UPDATE, 1, 0, new byte[] {1, 5, 5, 0, 4}));
        assertThat(node.qrpTable(leaf)).isNull();
        assertThat(node.stats().qrpErrors()).isEqualTo(1);
        node.onPacket(a, query("beatles again", 3, 0));
        assertThat(leaf.got).hasSize(2);
        // tables from ultrapeers are not used (no last-hop QRP between ultrapeers)
        for (byte[] p : Qrp.Table.of(leafFiles.all(), Qrp.DEFAULT_BITS).payloads()) {
            node.onPacket(b, new Packet(Guid.random(random), Qrp.ROUTE_TABLE_UPDATE, 1, 0, p));
        }
        assertThat(node.qrpTable(b)).isNull();
    }

    @Test
    void malformedAndUnknownMessagesAreDroppedAndCounted() {
        node.onPacket(a, new Packet(Guid.random(random), Packet.QUERY, 3, 0, new byte[] {(byte) 0x80, 0, 'x'}));
        node.onPacket(a, new Packet(Guid.random(random), 0x99, 3, 0, new byte[10]));
        assertThat(b.got).isEmpty();
        assertThat(node.stats().malformed()).isEqualTo(1);
        assertThat(node.stats().in()).containsEntry("other", 1L);
    }
}
