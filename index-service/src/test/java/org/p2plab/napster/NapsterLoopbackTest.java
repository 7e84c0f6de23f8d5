package org.p2plab.napster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.napster.config.PeerService;
import org.p2plab.napster.peer.SharingPeer;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Napster's four steps end to end over loopback: one index, sharing peers logged in over the
 * Napster TCP protocol, searches over REST and TCP, downloads brokered through 203/607/608/204
 * and fetched from the sharer's data port (with resume), a firewalled sharer served through a
 * push (500/607/608/501), and a peer whose files leave the index when it disconnects.
 */
class NapsterLoopbackTest {

    private final LocalNapsterNodes nodes = new LocalNapsterNodes();

    @AfterEach
    void stop() {
        nodes.close();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String q(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private JsonNode searchIndex(String index, String query) {
        return nodes.json(index + "/search?q=" + q(query));
    }

    private JsonNode awaitDownload(String peer, String id) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> nodes.json(peer + "/client/downloads/" + id),
                d -> d.get("state").asString().equals("done") || d.get("state").asString().equals("failed"));
    }

    @Test
    void shareSearchBrokerAndDownloadDirectPushAndResume(@TempDir Path tmp) throws IOException {
        Path aDir = Files.createDirectories(tmp.resolve("alice-share"));
        byte[] hello = random(300_000, 1);
        byte[] song = random(123_457, 2);
        Files.write(aDir.resolve("hello world.txt"), hello);
        Files.createDirectories(aDir.resolve("Beatles"));
        Files.write(aDir.resolve("Beatles").resolve("Help.mp3"), song);
        Path cDir = Files.createDirectories(tmp.resolve("carol-share"));
        byte[] secret = random(77_777, 3);
        Files.write(cDir.resolve("secret notes.txt"), secret);
        Path bDownloads = Files.createDirectories(tmp.resolve("bob-downloads"));

        ConfigurableApplicationContext index = nodes.index();
        String idx = LocalNapsterNodes.url(index);
        ConfigurableApplicationContext alice = nodes.peer(index, "alice", aDir.toString());
        ConfigurableApplicationContext bob = nodes.peer(index, "bob", tmp.resolve("bob-share").toString(),
                "p2plab.napster.peer.download-dir=" + bDownloads);
        nodes.peer(index, "carol", cDir.toString(), "p2plab.napster.peer.firewalled=true");
        String b = LocalNapsterNodes.url(bob);

        // 1. shared over TCP, found over REST
        JsonNode hits = await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex(idx, "hello world"), h -> h.get("count").asInt() == 1);
        JsonNode hit = hits.get("hits").get(0);
        assertThat(hit.get("nick").asString()).isEqualTo("alice");
        assertThat(hit.get("path").asString()).isEqualTo("alice-share\\hello world.txt");
        assertThat(hit.get("size").asLong()).isEqualTo(300_000);
        assertThat(hit.get("napsterIp").asLong()).isEqualTo(16777343L);
        assertThat(searchIndex(idx, "beatles help").get("count").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex(idx, "secret").get("count").asInt() == 1);

        // 2. shared over REST, found over TCP (by bob's client)
        JsonNode session = nodes.json("POST", idx + "/sessions", "{\"nick\":\"dave\",\"password\":\"pw\",\"dataPort\":6699,\"linkSpeed\":8}");
        String token = session.get("token").asString();
        nodes.json("PUT", idx + "/users/dave/shares", "{\"files\":[{\"path\":\"C:\\\\mp3\\\\Rest Only Song.mp3\",\"size\":5000000,"
                + "\"bitrate\":192,\"frequency\":44100,\"length\":208}]}", "Authorization", "Bearer " + token);
        JsonNode found = nodes.json("POST", b + "/client/search", "{\"query\":\"rest only song\"}");
        assertThat(found.get("count").asInt()).isEqualTo(1);
        assertThat(found.get("results").get(0).get("nick").asString()).isEqualTo("dave");
        assertThat(found.get("results").get(0).get("bitrate").asInt()).isEqualTo(192);

        // 3. bob searches (ranked by ping) and downloads from alice: 203 → 607 → 608 → 204, then the data port
        JsonNode ranked = nodes.json("POST", b + "/client/search", "{\"query\":\"hello\"}");
        assertThat(ranked.get("count").asInt()).isEqualTo(1);
        assertThat(ranked.get("results").get(0).get("rttMillis").isNumber()).as("alice answered the ping").isTrue();
        long brokeredBefore = nodes.json(idx + "/stats").get("downloadsBrokered").asLong();
        JsonNode started = nodes.json("POST", b + "/client/downloads", "{\"nick\":\"alice\",\"path\":\"alice-share\\\\hello world.txt\"}");
        JsonNode done = awaitDownload(b, started.get("id").asString());
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("done");
        assertThat(done.get("push").asBoolean()).isFalse();
        assertThat(Files.readAllBytes(bDownloads.resolve("hello world.txt"))).isEqualTo(hello);
        assertThat(nodes.get(b + "/client/downloads/" + started.get("id").asString() + "/content").body()).isEqualTo(hello);
        assertThat(nodes.json(idx + "/stats").get("downloadsBrokered").asLong()).isEqualTo(brokeredBefore + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> alice.getBean(PeerService.class).peer().uploads() == 1);

        // 4. resume: a partial file from an earlier try is continued from its length
        Files.write(bDownloads.resolve(SharingPeer.partName("alice", "alice-share\\Beatles\\Help.mp3")),
                java.util.Arrays.copyOf(song, 50_000));
        JsonNode resumed = awaitDownload(b, nodes.json("POST", b + "/client/downloads",
                "{\"nick\":\"alice\",\"path\":\"alice-share\\\\Beatles\\\\Help.mp3\"}").get("id").asString());
        assertThat(resumed.get("state").asString()).as(resumed.toString()).isEqualTo("done");
        assertThat(resumed.get("resumedAt").asLong()).isEqualTo(50_000);
        assertThat(Files.readAllBytes(bDownloads.resolve("Help.mp3"))).isEqualTo(song);

        // 5. carol is firewalled (data port 0): she is asked to push (500 → 607 → 608 → 501) and connects to bob
        long pushesBefore = nodes.json(idx + "/stats").get("pushes").asLong();
        JsonNode pushed = awaitDownload(b, nodes.json("POST", b + "/client/downloads",
                "{\"nick\":\"carol\",\"path\":\"carol-share\\\\secret notes.txt\"}").get("id").asString());
        assertThat(pushed.get("state").asString()).as(pushed.toString()).isEqualTo("done");
        assertThat(pushed.get("push").asBoolean()).isTrue();
        assertThat(Files.readAllBytes(bDownloads.resolve("secret notes.txt"))).isEqualTo(secret);
        assertThat(nodes.json(idx + "/stats").get("pushes").asLong()).isEqualTo(pushesBefore + 1);

        // 6. alice disconnects: her files leave the index as soon as her connection ends
        nodes.stop(alice);
        await().atMost(Duration.ofSeconds(2)).until(() -> searchIndex(idx, "hello world").get("count").asInt() == 0);
        assertThat(searchIndex(idx, "beatles").get("count").asInt()).isZero();
        assertThat(nodes.json(idx + "/users/alice").get("online").asBoolean()).isFalse();
    }

    @Test
    void aPeerAnnouncesFilesAddedToItsDirectoryAndReconnectsAfterTheIndexRestarts(@TempDir Path tmp) throws IOException {
        ConfigurableApplicationContext index = nodes.index();
        String idx = LocalNapsterNodes.url(index);
        Path dir = Files.createDirectories(tmp.resolve("share"));
        ConfigurableApplicationContext peer = nodes.peer(index, "erin", dir.toString());
        String p = LocalNapsterNodes.url(peer);
        await().atMost(Duration.ofSeconds(10)).until(() -> nodes.json(p + "/client").get("connected").asBoolean());
        Files.writeString(dir.resolve("later addition.txt"), "hello");
        await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex(idx, "later addition").get("count").asInt() == 1);
        Files.delete(dir.resolve("later addition.txt"));
        await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex(idx, "later addition").get("count").asInt() == 0);
        var added = nodes.sendWith("POST", p + "/client/shares?name=" + q("via api.txt"), "x=1&y=2".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded");
        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(LocalNapsterNodes.parse(added.body()).get("size").asLong()).as("a form-encoded body stays the file").isEqualTo(7);
        await().atMost(Duration.ofSeconds(5)).until(() -> searchIndex(idx, "via api").get("count").asInt() == 1);

        // the index goes away: the peer logs in again, with its shares, once an index is back on the port
        int port = LocalNapsterNodes.tcpPort(index);
        nodes.stop(index);
        await().atMost(Duration.ofSeconds(5)).until(() -> !nodes.json(p + "/client").get("connected").asBoolean());
        ConfigurableApplicationContext again = nodes.index("p2plab.napster.port=" + port);
        String idx2 = LocalNapsterNodes.url(again);
        await().atMost(Duration.ofSeconds(20)).until(() -> searchIndex(idx2, "via api").get("count").asInt() == 1);
        assertThat(nodes.json(p + "/client").get("connected").asBoolean()).isTrue();
    }

    @Test
    void thePeerServesOnlyBrokeredGetsAndKeepsSameNamedDownloadsApart(@TempDir Path tmp) throws Exception {
        ConfigurableApplicationContext index = nodes.index();
        Path aDir = Files.createDirectories(tmp.resolve("a"));
        Path cDir = Files.createDirectories(tmp.resolve("c"));
        byte[] fromA = random(70_000, 5);
        byte[] fromC = random(90_000, 6);
        Files.write(aDir.resolve("song.txt"), fromA);
        Files.write(cDir.resolve("song.txt"), fromC);
        Path downloads = Files.createDirectories(tmp.resolve("downloads"));
        ConfigurableApplicationContext a = nodes.peer(index, "anna", aDir.toString());
        nodes.peer(index, "carl", cDir.toString());
        String b = LocalNapsterNodes.url(nodes.peer(index, "bert", tmp.resolve("b").toString(),
                "p2plab.napster.peer.download-dir=" + downloads));
        String idx = LocalNapsterNodes.url(index);
        await().atMost(Duration.ofSeconds(10)).until(() -> searchIndex(idx, "song").get("count").asInt() == 2);

        // a GET the index never brokered is refused
        int dataPort = a.getBean(PeerService.class).peer().announcedDataPort();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", dataPort)) {
            s.setSoTimeout(5000);
            var in = s.getInputStream();
            assertThat(in.read()).isEqualTo('1');
            s.getOutputStream().write("GETintruder \"a\\song.txt\" 0".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("INVALID REQUEST");
        }

        // two files called song.txt, from two peers: two downloads, neither overwrites the other
        String first = nodes.json("POST", b + "/client/downloads", "{\"nick\":\"anna\",\"path\":\"a\\\\song.txt\"}").get("id").asString();
        assertThat(awaitDownload(b, first).get("state").asString()).isEqualTo("done");
        String second = nodes.json("POST", b + "/client/downloads", "{\"nick\":\"carl\",\"path\":\"c\\\\song.txt\"}").get("id").asString();
        assertThat(awaitDownload(b, second).get("state").asString()).isEqualTo("done");
        assertThat(Files.readAllBytes(downloads.resolve("song.txt"))).isEqualTo(fromA);
        assertThat(Files.readAllBytes(downloads.resolve("song (2).txt"))).isEqualTo(fromC);
    }

    @Test
    void aRefusedLoginIsRetriedWithGrowingPausesNotAStorm(@TempDir Path tmp) throws Exception {
        ConfigurableApplicationContext index = nodes.index();
        String idx = LocalNapsterNodes.url(index);
        nodes.json("POST", idx + "/users", "{\"nick\":\"taken\",\"password\":\"the-real-one\"}");
        nodes.peer(index, "taken", Files.createDirectories(tmp.resolve("s")).toString(), "p2plab.napster.peer.password=wrong");
        var tcp = index.getBean(org.p2plab.napster.config.IndexService.class);
        // attempts at 0, 1, 3, 7 s ... (pauses 1, 2, 4 s): within 6 s at most 4 refusals, never a doubling storm
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(7))
                .until(() -> nodes.json(idx + "/stats").get("logins").asLong() == 0 && refusals(index) <= 4);
        assertThat(refusals(index)).as("it keeps trying").isGreaterThanOrEqualTo(2);
        assertThat(tcp.tcpConnections()).isLessThanOrEqualTo(1);
    }

    private static double refusals(ConfigurableApplicationContext index) {
        var registry = index.getBean(io.micrometer.core.instrument.MeterRegistry.class);
        var c = registry.find("p2p.napster.protocol.errors").functionCounter();
        return c == null ? 0 : c.count();
    }
}
