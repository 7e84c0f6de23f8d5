package org.p2plab.napster.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.p2plab.napster.protocol.NapsterException.Reason;

/** The index's rules: search, sessions, hotlists and download brokering, without a socket. */
class IndexServerTest {

    /** A mutable clock. */
    static final class Clock implements InstantSource {
        volatile Instant now = Instant.parse("2026-11-25T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Records what the index tells a user. */
    static final class Events implements SessionLink {
        final List<String> got = new CopyOnWriteArrayList<>();

        @Override
        public void uploadRequest(String downloader, String path, int downloaderSpeed) {
            got.add("607 " + downloader + " " + path);
        }

        @Override
        public void downloadAck(DownloadTicket t) {
            got.add("204 " + t.nick() + " " + t.port());
        }

        @Override
        public void downloadError(String nick, String path) {
            got.add("206 " + nick);
        }

        @Override
        public void acceptFailed(String nick, String path) {
            got.add("609 " + nick);
        }

        @Override
        public void queueLimit(String uploader, String path, long size, int limit) {
            got.add("620 " + uploader + " " + limit);
        }

        @Override
        public void pushRequest(String downloader, String ip, int port, String path, String md5, int downloaderSpeed) {
            got.add("501 " + downloader + " " + ip + ":" + port + " " + path);
        }

        @Override
        public void userSignon(String nick, int linkSpeed) {
            got.add("209 " + nick);
        }

        @Override
        public void userSignoff(String nick) {
            got.add("210 " + nick);
        }

        @Override
        public void pinged(String by) {
            got.add("751 " + by);
        }

        @Override
        public void ponged(String by) {
            got.add("752 " + by);
        }

        @Override
        public void error(String text) {
            got.add("404 " + text);
        }

        @Override
        public void ended(String reason) {
            got.add("ended");
        }
    }

    private final Clock clock = new Clock();
    private final IndexServer server = new IndexServer(UserStore.inMemory(), NapsterCodecTest.PLAIN_FOR_TESTS,
            new IndexServer.Params(100, 50, true, Duration.ofSeconds(30), Duration.ofMinutes(10)), clock);

    private Session login(String nick, int port, int speed, Events e) {
        return server.login(new IndexServer.Login(nick, "pw", port, "test", speed, null, "127.0.0.1", Session.Transport.TCP, false), e);
    }

    private static SharedFile file(String path, long size, int bitrate, int freq) {
        return new SharedFile(path, "md5", size, bitrate, freq, 100);
    }

    private List<String> search(Session who, String q) {
        return server.search(who, new SearchRequest(q, 100, null, null, null, null, null)).stream()
                .map(h -> h.nick() + ":" + h.file().fileName()).toList();
    }

    @Test
    void searchMatchesWholeWordsOfTheNameAndItsDirectoryIgnoringCase() {
        Session bob = login("bob", 6699, 7, new Events());
        server.share(bob, List.of(file("C:\\mp3\\Beatles\\Help.mp3", 3_000_000, 128, 44100),
                file("C:\\mp3\\Beatles\\Yesterday.mp3", 2_000_000, 192, 44100),
                file("C:\\mp3\\Helpless.mp3", 4_000_000, 128, 48000)));
        Session alice = login("alice", 6699, 3, new Events());
        assertThat(search(alice, "beatles help")).containsExactly("bob:Help.mp3");
        assertThat(search(alice, "BEATLES")).containsExactly("bob:Help.mp3", "bob:Yesterday.mp3");
        assertThat(search(alice, "help")).as("whole words: not Helpless").containsExactly("bob:Help.mp3");
        assertThat(search(alice, "mp3 help a")).as("one-letter words are ignored").containsExactly("bob:Help.mp3");
        assertThat(search(alice, "beatles stones")).as("every word is required").isEmpty();
        assertThat(search(alice, "mp3")).as("the extension is a word of the name").hasSize(3);
        assertThat(search(alice, "mp3 beatles")).as("the parent directory counts").hasSize(2);
        server.share(bob, List.of(file("C:\\Beatles\\live\\Twist.mp3", 1, 0, 0)));
        assertThat(search(alice, "beatles twist")).as("the grandparent directory does not").isEmpty();
        assertThatThrownBy(() -> search(alice, "a - b")).isInstanceOf(NapsterException.class)
                .extracting(e -> ((NapsterException) e).reason()).isEqualTo(Reason.NO_WORDS);
        assertThat(search(bob, "beatles")).as("the searcher's own files are left out").isEmpty();
    }

    @Test
    void filtersAndMaxResults() {
        Session bob = login("bob", 6699, 2, new Events());
        Session carol = login("carol", 6699, 9, new Events());
        server.share(bob, List.of(file("a\\song one.mp3", 1, 128, 44100), file("a\\song two.mp3", 1, 320, 48000)));
        server.share(carol, List.of(file("b\\song three.mp3", 1, 64, 22050)));
        Session alice = login("alice", 6699, 3, new Events());
        SearchRequest r = SearchRequest.parse("FILENAME CONTAINS \"song\" MAX_RESULTS 10 BITRATE \"AT LEAST\" 128", 100);
        assertThat(server.search(alice, r)).extracting(h -> h.file().bitrate()).containsExactly(128, 320);
        r = SearchRequest.parse("FILENAME CONTAINS \"song\" MAX_RESULTS 10 BITRATE \"AT BEST\" 128", 100);
        assertThat(server.search(alice, r)).extracting(h -> h.file().bitrate()).containsExactly(128, 64);
        r = SearchRequest.parse("FILENAME CONTAINS \"song\" MAX_RESULTS 10 FREQ \"EQUAL TO\" 48000", 100);
        assertThat(server.search(alice, r)).extracting(h -> h.file().bitrate()).containsExactly(320);
        r = SearchRequest.parse("FILENAME CONTAINS \"song\" MAX_RESULTS 10 LINESPEED \"AT LEAST\" 7", 100);
        assertThat(server.search(alice, r)).extracting(IndexServer.Hit::nick).containsExactly("carol");
        r = SearchRequest.parse("FILENAME CONTAINS \"song\" MAX_RESULTS 2", 100);
        assertThat(server.search(alice, r)).hasSize(2);
        r = SearchRequest.parse("FILENAME CONTAINS \"song\" MAX_RESULTS 0", 100);
        assertThat(server.search(alice, r)).as("0: the server's cap").hasSize(3);
    }

    @Test
    void aSessionsSharesLeaveTheIndexWhenItEndsAndWatchersHearIt() {
        Events aliceEvents = new Events();
        Session alice = login("alice", 6699, 3, aliceEvents);
        assertThat(server.hotlistAdd(alice, "Bob")).isFalse();
        Session bob = login("bob", 6699, 7, new Events());
        assertThat(aliceEvents.got).containsExactly("209 bob");
        server.share(bob, List.of(file("x\\tune.mp3", 10, 128, 44100)));
        assertThat(server.stats().files()).isEqualTo(1);
        assertThat(search(alice, "tune")).containsExactly("bob:tune.mp3");
        server.logout(bob);
        assertThat(search(alice, "tune")).isEmpty();
        assertThat(server.stats().files()).isZero();
        assertThat(server.stats().bytes()).isZero();
        assertThat(aliceEvents.got).containsExactly("209 bob", "210 bob");
        assertThat(server.whois("bob").online()).isFalse();
    }

    @Test
    void aSecondLoginTakesOverAndAWrongPasswordIsRefused() {
        Events first = new Events();
        Session a = login("bob", 6699, 7, first);
        server.share(a, List.of(file("x\\old.mp3", 1, 0, 0)));
        assertThatThrownBy(() -> server.login(new IndexServer.Login("BOB", "wrong", 0, "x", 0, null, "127.0.0.1",
                Session.Transport.TCP, false), new Events())).extracting(e -> ((NapsterException) e).reason()).isEqualTo(Reason.BAD_PASSWORD);
        Session b = login("bob", 6699, 7, new Events());
        assertThat(first.got).containsExactly("ended");
        assertThat(a.closed()).isTrue();
        assertThat(server.online("bob")).contains(b);
        assertThat(server.stats().files()).as("the old session's shares left with it").isZero();
        assertThatThrownBy(() -> server.register("bob", "x", null, 0)).extracting(e -> ((NapsterException) e).reason())
                .isEqualTo(Reason.NICK_TAKEN);
        assertThat(server.checkNick("bob")).isEqualTo(MsgType.NICK_REGISTERED);
        assertThat(server.checkNick("nobody")).isEqualTo(MsgType.NICK_NOT_REGISTERED);
        assertThat(server.checkNick("bad nick")).isEqualTo(MsgType.NICK_INVALID);
    }

    @Test
    void aDownloadIsBrokeredThroughTheSharersAccept() throws Exception {
        Events bobEvents = new Events();
        Session bob = login("bob", 6699, 7, bobEvents);
        server.share(bob, List.of(file("x\\tune.mp3", 10, 128, 44100)));
        Session alice = login("alice", 6700, 3, new Events());
        CompletableFuture<DownloadTicket> t = server.requestDownload(alice, "bob", "x\\tune.mp3");
        assertThat(bobEvents.got).containsExactly("607 alice x\\tune.mp3");
        assertThat(t).isNotDone();
        server.acceptUpload(bob, "alice", "x\\tune.mp3");
        assertThat(t.get()).isEqualTo(new DownloadTicket("bob", "127.0.0.1", 6699, "x\\tune.mp3", "md5", 7, 10, false));
        assertThatThrownBy(() -> server.requestDownload(alice, "bob", "x\\other.mp3")).extracting(e -> ((NapsterException) e).reason())
                .isEqualTo(Reason.NOT_SHARED);
        assertThatThrownBy(() -> server.requestDownload(alice, "nobody", "x")).extracting(e -> ((NapsterException) e).reason())
                .isEqualTo(Reason.OFFLINE);
        assertThat(server.stats().downloadsBrokered()).isEqualTo(1);
    }

    @Test
    void askingTwiceForOneFileWaitsForOneAnswer() throws Exception {
        Events bobEvents = new Events();
        Session bob = login("bob", 6699, 7, bobEvents);
        server.share(bob, List.of(file("x\\tune.mp3", 10, 128, 44100)));
        Session alice = login("alice", 6700, 3, new Events());
        CompletableFuture<DownloadTicket> first = server.requestDownload(alice, "bob", "x\\tune.mp3");
        CompletableFuture<DownloadTicket> again = server.requestDownload(alice, "bob", "x\\tune.mp3");
        assertThat(again).isSameAs(first);
        server.acceptUpload(bob, "alice", "x\\tune.mp3");
        assertThat(first.get().port()).isEqualTo(6699);
    }

    @Test
    void aMinusWordExcludes() {
        Session bob = login("bob", 6699, 7, new Events());
        server.share(bob, List.of(file("C:\\Beatles\\Help.mp3", 1, 0, 0), file("C:\\Beatles\\Help live.mp3", 1, 0, 0)));
        Session alice = login("alice", 6699, 3, new Events());
        assertThat(search(alice, "beatles help -live")).containsExactly("bob:Help.mp3");
    }

    @Test
    void aFirewalledSharerIsAskedToPush() throws Exception {
        Events fw = new Events();
        Session bob = login("bob", 0, 7, fw);
        server.share(bob, List.of(file("x\\tune.mp3", 10, 128, 44100)));
        Session alice = login("alice", 6700, 3, new Events());
        // 203 to a firewalled sharer: 204 at once with port 0
        assertThat(server.requestDownload(alice, "bob", "x\\tune.mp3").get().port()).isZero();
        // 500 → 607 → 608 → 501 to the sharer with the downloader's address
        CompletableFuture<DownloadTicket> push = server.requestPush(alice, "bob", "x\\tune.mp3");
        assertThat(fw.got).containsExactly("607 alice x\\tune.mp3");
        server.acceptUpload(bob, "alice", "x\\tune.mp3");
        assertThat(fw.got).containsExactly("607 alice x\\tune.mp3", "501 alice 127.0.0.1:6700 x\\tune.mp3");
        assertThat(push.get().push()).isTrue();
        assertThat(server.stats().pushes()).isEqualTo(1);
        // both firewalled: refused
        Session carol = login("carol", 0, 3, new Events());
        assertThatThrownBy(() -> server.requestDownload(carol, "bob", "x\\tune.mp3")).extracting(e -> ((NapsterException) e).reason())
                .isEqualTo(Reason.FIREWALLED);
        assertThat(search(carol, "tune")).as("a firewalled searcher does not see firewalled sharers").isEmpty();
    }

    @Test
    void queueFullTimeoutAndSharerLeavingFailTheRequest() {
        Events bobEvents = new Events();
        Session bob = login("bob", 6699, 7, bobEvents);
        server.share(bob, List.of(file("x\\a.mp3", 10, 0, 0), file("x\\b.mp3", 20, 0, 0), file("x\\c.mp3", 30, 0, 0)));
        Session alice = login("alice", 6700, 3, new Events());
        CompletableFuture<DownloadTicket> full = server.requestDownload(alice, "bob", "x\\a.mp3");
        server.queueLimit(bob, "alice", "x\\a.mp3", 3);
        assertThat(full).isCompletedExceptionally();
        assertThatThrownBy(full::get).isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(
                IndexServer.QueueFullException.class, q -> assertThat(q.limit()).isEqualTo(3));

        CompletableFuture<DownloadTicket> slow = server.requestDownload(alice, "bob", "x\\b.mp3");
        server.sweep();
        assertThat(slow).isNotDone();
        clock.now = clock.now.plusSeconds(31);
        server.sweep();
        assertThatThrownBy(slow::get).cause().extracting(e -> ((NapsterException) e).reason()).isEqualTo(Reason.TIMEOUT);

        CompletableFuture<DownloadTicket> gone = server.requestDownload(alice, "bob", "x\\c.mp3");
        server.logout(bob);
        assertThatThrownBy(gone::get).cause().extracting(e -> ((NapsterException) e).reason()).isEqualTo(Reason.OFFLINE);
    }

    @Test
    void restSessionsExpireWhenIdle() {
        Session s = server.login(new IndexServer.Login("rest", "pw", 0, "curl", 0, null, "127.0.0.1", Session.Transport.REST, false),
                new Events());
        server.share(s, List.of(file("x\\tune.mp3", 10, 0, 0)));
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        assertThat(server.session(s.token())).isSameAs(s); // touched: the TTL restarts
        clock.now = clock.now.plus(Duration.ofMinutes(9));
        server.sweep();
        assertThat(s.closed()).isFalse();
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        server.sweep();
        assertThat(s.closed()).isTrue();
        assertThat(server.stats().files()).isZero();
        assertThatThrownBy(() -> server.session(s.token())).extracting(e -> ((NapsterException) e).reason())
                .isEqualTo(Reason.SESSION_ENDED);
    }

    @Test
    void sharesAreCappedPerUserAndReplacedByPath() {
        Session bob = login("bob", 6699, 7, new Events());
        List<SharedFile> fifty = java.util.stream.IntStream.range(0, 50).mapToObj(i -> file("x\\f" + i + ".mp3", i, 0, 0)).toList();
        server.share(bob, fifty);
        server.share(bob, List.of(file("x\\f1.mp3", 999, 0, 0))); // same path: replaced, not added
        assertThat(bob.sharedCount()).isEqualTo(50);
        assertThat(bob.shared("x\\f1.mp3").size()).isEqualTo(999);
        assertThatThrownBy(() -> server.share(bob, List.of(file("x\\more.mp3", 1, 0, 0)))).extracting(e -> ((NapsterException) e).reason())
                .isEqualTo(Reason.TOO_MANY_SHARES);
        assertThat(server.unshare(bob, "x\\f1.mp3")).isTrue();
        assertThat(server.unshare(bob, "x\\f1.mp3")).isFalse();
        server.replaceShares(bob, List.of(file("y\\only.mp3", 5, 0, 0)));
        assertThat(server.stats().files()).isEqualTo(1);
        assertThat(server.stats().bytes()).isEqualTo(5);
    }
}
