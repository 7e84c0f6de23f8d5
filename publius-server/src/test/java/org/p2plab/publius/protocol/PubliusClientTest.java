package org.p2plab.publius.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.codahale.shamir.Scheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.publius.protocol.PubliusClient.PieceReport;
import org.p2plab.publius.protocol.PubliusClient.Published;
import org.p2plab.publius.protocol.PubliusClient.Retrieval;
import org.p2plab.publius.protocol.PubliusException.Reason;

/** The protocol against m = 10 in-process servers, n = 10, k = 3: the paper's operations and attacks. */
class PubliusClientTest {

    private static final byte[] M = "<html><body>Censorship-resistant, tamper-evident.</body></html>"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final SecureRandom random = new SecureRandom();
    private ExecutorService executor;
    private InProcessServers servers;
    private PubliusClient client;

    @BeforeEach
    void tenServers() {
        executor = Executors.newVirtualThreadPerTaskExecutor();
        servers = new InProcessServers(dir, 10, 1 << 20, 8 << 20);
        client = new PubliusClient(servers.urls(), servers, PubliusParams.defaults(), random, executor);
    }

    @AfterEach
    void stop() {
        executor.close();
    }

    private Published publish(byte[] content, boolean noUpdate) {
        return client.publish(content, "text/html", 10, 3, 3, noUpdate, "secret");
    }

    private static long count(Retrieval r, String status) {
        return r.pieces().stream().filter(p -> status.equals(p.status())).count();
    }

    @Test
    void publishedDocumentsComeBackWithTheirType() {
        Published p = publish(M, false);
        assertThat(p.storedCount()).isEqualTo(10);
        assertThat(p.url().n()).isEqualTo(10);
        assertThat(p.url().k()).isEqualTo(3);
        assertThat(p.placements()).allSatisfy(pl -> {
            assertThat(pl.location()).isEqualTo(pl.name().location(10));
            assertThat(pl.server()).isEqualTo(servers.urls().get(pl.location() - 1));
        });
        assertThat(p.placements().stream().map(PubliusClient.Placement::location).distinct().count()).isGreaterThanOrEqualTo(3);

        Retrieval r = client.retrieve(PubliusUrl.parse(p.url().toString()));
        assertThat(r.content()).isEqualTo(M);
        assertThat(r.mimeType()).isEqualTo("text/html");
        assertThat(count(r, PubliusClient.USED)).isEqualTo(3);
        assertThat(count(r, PubliusClient.VERIFIED)).isEqualTo(7);
        assertThat(r.followed()).isEmpty();
    }

    @Test
    void serversHoldOnlyRandomLookingBytes() throws IOException {
        Published p = publish(M, false);
        for (PubliusClient.Placement pl : p.placements()) {
            byte[] stored = Files.readAllBytes(servers.store(pl.server()).directory(pl.name()).resolve("file"));
            assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("Censorship");
            assertThat(stored).hasSize((int) PubliusCrypto.encryptedLength(M.length));
        }
    }

    @Test
    void anyKSharesRebuildTheKeyAndKMinusOneDoNot() throws IOException {
        Published p = publish(M, false);
        List<Share> shares = new ArrayList<>();
        byte[] file = null;
        for (PubliusClient.Placement pl : p.placements()) {
            shares.add(Share.decode(servers.store(pl.server()).piece(pl.name()).orElseThrow().share()));
            file = Files.readAllBytes(servers.store(pl.server()).directory(pl.name()).resolve("file"));
        }
        Scheme scheme = new Scheme(random, 10, 3);
        int rebuilt = 0;
        int[] pick = {0, 1, 2};
        do {
            assertThat(PubliusCrypto.decrypt(scheme.join(parts(shares, pick)), file)).hasValueSatisfying(m -> assertThat(m).isEqualTo(M));
            rebuilt++;
        } while (PubliusClient.nextCombination(pick, 10));
        assertThat(rebuilt).isEqualTo(120); // C(10, 3)

        int failed = 0;
        int[] two = {0, 1};
        do {
            assertThat(PubliusCrypto.decrypt(scheme.join(parts(shares, two)), file)).isEmpty();
            failed++;
        } while (PubliusClient.nextCombination(two, 10));
        assertThat(failed).isEqualTo(45); // C(10, 2)
    }

    private static Map<Integer, byte[]> parts(List<Share> shares, int[] pick) {
        Map<Integer, byte[]> parts = new HashMap<>();
        for (int i : pick) {
            parts.put(shares.get(i).index(), shares.get(i).value());
        }
        return parts;
    }

    @Test
    void namesChangeWithAnySingleByteOfContentOrShare() {
        Share share = new Share(4, random.generateSeed(32));
        PubliusName name = PubliusName.of(M, share);
        Set<PubliusName> seen = new LinkedHashSet<>();
        seen.add(name);
        for (int i = 0; i < M.length; i++) {
            byte[] changed = M.clone();
            changed[i] ^= 1;
            assertThat(seen.add(PubliusName.of(changed, share))).as("content byte %d", i).isTrue();
        }
        byte[] value = share.value();
        for (int i = 0; i < value.length; i++) {
            byte[] changed = value.clone();
            changed[i] ^= (byte) 0x80;
            assertThat(seen.add(PubliusName.of(M, new Share(4, changed)))).as("share byte %d", i).isTrue();
        }
        assertThat(seen.add(PubliusName.of(M, new Share(5, value)))).as("share index").isTrue();
        assertThat(PubliusName.of(M, share)).isEqualTo(name);
    }

    /** Three servers that together hold at least k pieces, and the other seven. */
    private List<List<String>> keepThree(Published p) {
        Map<String, Long> perServer = p.placements().stream()
                .collect(Collectors.groupingBy(PubliusClient.Placement::server, Collectors.counting()));
        List<String> keep = perServer.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(3).map(Map.Entry::getKey).toList();
        List<String> others = servers.urls().stream().filter(s -> !keep.contains(s)).toList();
        assertThat(others).hasSize(7);
        return List.of(keep, others);
    }

    @Test
    void stillRetrievableWithSevenServersDown() {
        Published p = publish(M, false);
        List<List<String>> split = keepThree(p);
        split.get(1).forEach(servers::stop);
        Retrieval r = client.retrieve(p.url());
        assertThat(r.content()).isEqualTo(M);
        assertThat(r.serversUsed()).isSubsetOf(split.get(0));
        assertThat(r.pieces()).filteredOn(x -> split.get(1).contains(x.server()))
                .allSatisfy(x -> assertThat(x.status()).isEqualTo(PubliusClient.UNREACHABLE));

        // one more down and fewer than k pieces are left: a clear "unavailable", not a wrong answer
        long left = p.placements().stream().filter(pl -> split.get(0).subList(1, 3).contains(pl.server())).count();
        servers.stop(split.get(0).getFirst());
        if (left < 3) {
            assertThatThrownBy(() -> client.retrieve(p.url())).isInstanceOf(PubliusException.class)
                    .extracting(e -> ((PubliusException) e).reason()).isEqualTo(Reason.UNAVAILABLE);
        }
    }

    @Test
    void corruptFilesOnSevenServersAreDetectedAndRoutedAround() {
        Published p = publish(M, false);
        List<String> corrupted = keepThree(p).get(1);
        for (PubliusClient.Placement pl : p.placements()) {
            if (corrupted.contains(pl.server())) {
                byte[] garbage = random.generateSeed((int) PubliusCrypto.encryptedLength(M.length));
                servers.corruptFile(pl.server(), pl.name(), garbage);
            }
        }
        Retrieval r = client.retrieve(p.url());
        assertThat(r.content()).isEqualTo(M);
        List<PieceReport> onCorrupted = r.pieces().stream().filter(x -> corrupted.contains(x.server())).toList();
        assertThat(onCorrupted).isNotEmpty().allSatisfy(x -> assertThat(x.status()).isEqualTo(PubliusClient.CORRUPT_FILE));
    }

    @Test
    void forgedSharesFailTheTamperCheck() throws IOException {
        Published p = publish(M, false);
        List<String> forgedOn = keepThree(p).get(1);
        for (PubliusClient.Placement pl : p.placements()) {
            if (forgedOn.contains(pl.server())) {
                rewriteShare(pl, new Share(pl.share(), random.generateSeed(32)).encode());
            }
        }
        Retrieval r = client.retrieve(p.url());
        assertThat(r.content()).isEqualTo(M);
        assertThat(r.pieces()).filteredOn(x -> forgedOn.contains(x.server()))
                .allSatisfy(x -> assertThat(x.status()).isEqualTo(PubliusClient.BAD_SHARE));
        assertThat(r.serversUsed()).doesNotContainAnyElementsOf(forgedOn);

        // every share forged: no k consistent pieces, and the answer says so
        for (PubliusClient.Placement pl : p.placements()) {
            rewriteShare(pl, new Share(pl.share(), random.generateSeed(32)).encode());
        }
        assertThatThrownBy(() -> client.retrieve(p.url())).isInstanceOf(PubliusException.class)
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(Reason.TAMPERED))
                .hasMessageContaining("corrupted or forged");
    }

    private void rewriteShare(PubliusClient.Placement pl, String share) throws IOException {
        Path meta = servers.store(pl.server()).directory(pl.name()).resolve("piece.properties");
        List<String> lines = Files.readAllLines(meta).stream()
                .map(l -> l.startsWith("share=") ? "share=" + share : l).toList();
        Files.write(meta, lines);
    }

    @Test
    void deleteNeedsThePassword() {
        Published p = publish(M, false);
        assertThatThrownBy(() -> client.delete(p.url(), "guess")).isInstanceOf(PubliusException.class)
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(Reason.WRONG_PASSWORD));
        assertThat(client.retrieve(p.url()).content()).isEqualTo(M);

        assertThat(client.delete(p.url(), "secret").done()).isEqualTo(10);
        assertThatThrownBy(() -> client.retrieve(p.url())).isInstanceOf(PubliusException.class)
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(Reason.NOT_FOUND));
        assertThat(servers.urls()).allSatisfy(s -> assertThat(servers.store(s).status().names()).isZero());
    }

    @Test
    void eachServerStoresItsOwnPasswordHash() throws IOException {
        Published p = publish(M, false);
        Set<String> hashes = new LinkedHashSet<>();
        for (PubliusClient.Placement pl : p.placements()) {
            String meta = Files.readString(servers.store(pl.server()).directory(pl.name()).resolve("piece.properties"));
            assertThat(meta).doesNotContain("secret");
            hashes.add(meta.lines().filter(l -> l.startsWith("password=")).findFirst().orElseThrow());
        }
        // one hash per distinct server: a server's operator cannot delete the copies elsewhere
        assertThat(hashes).hasSize((int) p.placements().stream().map(PubliusClient.Placement::server).distinct().count());
    }

    @Test
    void theOldUrlServesTheUpdatedContent() {
        Published p = publish(M, false);
        byte[] v2 = "version 2".getBytes(StandardCharsets.UTF_8);
        PubliusClient.Updated u = client.update(p.url(), "secret", "secret2", v2, "text/plain");
        assertThat(u.done()).isEqualTo(10);
        Retrieval r = client.retrieve(p.url());
        assertThat(r.content()).isEqualTo(v2);
        assertThat(r.mimeType()).isEqualTo("text/plain");
        assertThat(r.followed()).containsExactly(u.published().url());
        assertThat(r.url()).isEqualTo(u.published().url());

        // the old password no longer changes the new document, the new one does
        assertThatThrownBy(() -> client.update(u.published().url(), "secret", "x", M, "text/html"))
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(Reason.WRONG_PASSWORD));
        assertThat(client.retrieve(p.url()).content()).isEqualTo(v2);
        // the refused update left no third document behind
        long names = servers.urls().stream().mapToLong(s -> servers.store(s).status().names()).sum();
        assertThat(names).isEqualTo(20);
    }

    @Test
    void forgedUpdateFilesOnFewerThanKServersAreIgnored() {
        Published target = publish("Mallory's version".getBytes(StandardCharsets.UTF_8), false);
        Published p = publish(M, false);
        List<PubliusClient.Placement> placements = p.placements();
        for (int i = 0; i < 2; i++) { // k - 1 = 2 colluding servers
            servers.plantUpdate(placements.get(i).server(), placements.get(i).name(), target.url().toString());
        }
        Retrieval r = client.retrieve(p.url());
        assertThat(r.content()).isEqualTo(M);
        assertThat(r.followed()).isEmpty();
        assertThat(r.pieces()).filteredOn(x -> PubliusClient.IGNORED_UPDATE.equals(x.status())).isNotEmpty();

        // with k of them agreeing, an updatable URL follows (the paper: hence a larger k)
        servers.plantUpdate(placements.get(2).server(), placements.get(2).name(), target.url().toString());
        assertThat(new String(client.retrieve(p.url()).content(), StandardCharsets.UTF_8)).isEqualTo("Mallory's version");
    }

    @Test
    void aNoUpdateUrlIgnoresUpdateFilesEvenOnAllServers() {
        Published target = publish("Mallory's version".getBytes(StandardCharsets.UTF_8), false);
        Published p = publish(M, true);
        assertThat(p.url().noUpdate()).isTrue();
        for (PubliusClient.Placement pl : p.placements()) {
            servers.plantUpdate(pl.server(), pl.name(), target.url().toString());
        }
        Retrieval r = client.retrieve(p.url());
        assertThat(r.content()).isEqualTo(M);
        assertThat(r.followed()).isEmpty();
        assertThatThrownBy(() -> client.update(p.url(), "secret", "x", M, "text/html"))
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(Reason.NO_UPDATE));
    }

    @Test
    void updateFilesInACircleAreALoopNotAHang() {
        Published a = publish("A".getBytes(StandardCharsets.UTF_8), false);
        Published b = publish("B".getBytes(StandardCharsets.UTF_8), false);
        a.placements().forEach(pl -> servers.plantUpdate(pl.server(), pl.name(), b.url().toString()));
        b.placements().forEach(pl -> servers.plantUpdate(pl.server(), pl.name(), a.url().toString()));
        assertThatThrownBy(() -> client.retrieve(a.url()))
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(Reason.UPDATE_LOOP));
    }

    @Test
    void badPublishRequestsAreRefusedBeforeAnythingIsStored() {
        assertReason(() -> client.publish(M, "text/html", 3, 4, 4, false, null), Reason.INVALID, "k must not exceed n");
        assertReason(() -> client.publish(M, "text/html", 11, 3, 3, false, null), Reason.INVALID, "m = 10");
        assertReason(() -> client.publish(new byte[0], "text/html", 10, 3, 3, false, null), Reason.INVALID, "empty");
        assertReason(() -> client.publish(M, "text", 10, 3, 3, false, null), Reason.INVALID, "media type");
        assertReason(() -> client.publish(M, "text/html", 10, 3, 2, false, null), Reason.INVALID, "d,");
        PubliusClient small = new PubliusClient(servers.urls(), servers, new PubliusParams(16, 8, 100, 100), random, executor);
        assertReason(() -> small.publish(M, "text/html", 10, 3, 3, false, null), Reason.TOO_LARGE, "at most 16");
        assertThat(servers.urls()).allSatisfy(s -> assertThat(servers.store(s).status().names()).isZero());
    }

    @Test
    void fullServersRefuseAndAPublishThatCannotReachKIsTakenBack() {
        InProcessServers tiny = new InProcessServers(dir.resolve("tiny"), 10, 1 << 20, 200);
        PubliusClient c = new PubliusClient(tiny.urls(), tiny, PubliusParams.defaults(), random, executor);
        assertReason(() -> c.publish(new byte[300], "application/octet-stream", 10, 3, 3, false, null),
                Reason.STORAGE_FULL, "fewer than k = 3");
        assertThat(tiny.urls()).allSatisfy(s -> assertThat(tiny.store(s).status().storedBytes()).isZero());
    }

    @Test
    void tooFewReachableServersToPublish() {
        // eight of ten down: the two left hold fewer than k = 3 pieces unless shares crowd onto
        // them, so publish until a placement leaves them fewer than k (each try is rolled back)
        servers.urls().subList(0, 8).forEach(servers::stop);
        PubliusException refused = null;
        for (int attempt = 0; attempt < 50 && refused == null; attempt++) {
            try {
                Published p = publish(M, false);
                assertThat(p.storedCount()).isGreaterThanOrEqualTo(3);
                client.delete(p.url(), "secret");
            }
            catch (PubliusException e) {
                refused = e;
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(refused).hasMessageContaining("nothing was published");
        servers.startAll();
        assertThat(servers.urls()).allSatisfy(s -> assertThat(servers.store(s).status().names()).isZero());
    }

    @Test
    void aGeneratedPasswordDeletes() {
        Published p = client.publish(M, "text/html", 5, 2, 2, false, null);
        assertThat(p.password()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(client.delete(p.url(), p.password()).done()).isEqualTo(5);
    }

    private static void assertReason(Runnable call, Reason reason, String message) {
        assertThatThrownBy(call::run).isInstanceOf(PubliusException.class).hasMessageContaining(message)
                .satisfies(e -> assertThat(((PubliusException) e).reason()).isEqualTo(reason));
    }

}
