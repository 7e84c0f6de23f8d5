package org.p2plab.publius.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2plab.publius.protocol.PubliusCrypto;
import org.p2plab.publius.protocol.PubliusName;
import org.p2plab.publius.protocol.PubliusServerPeer.Piece;
import org.p2plab.publius.protocol.PubliusServerPeer.Refusal;
import org.p2plab.publius.protocol.PubliusServerPeer.RefusedException;
import org.p2plab.publius.protocol.Share;

class PieceStoreTest {

    private static final PubliusName NAME = new PubliusName(0x1234);
    private static final String SHARE = new Share(1, new byte[32]).encode();
    private static final String URL = "publius://1/k2n2/text%2Fplain/00000000000000ff.00000000000000fe";

    @TempDir
    Path dir;

    private static String hash(String pw) {
        return PubliusCrypto.passwordHash("server-1:8083", pw);
    }

    private static Refusal refusal(Runnable r) {
        try {
            r.run();
        }
        catch (RefusedException e) {
            return e.refusal();
        }
        throw new AssertionError("not refused");
    }

    @Test
    void storesServesAndCountsAcrossARestart() {
        PieceStore s = new PieceStore(dir, 1000, 10_000);
        s.store(NAME, new byte[500], SHARE, hash("pw"));
        Piece p = s.piece(NAME).orElseThrow();
        assertThat(p.share()).isEqualTo(SHARE);
        assertThat(p.fileSize()).isEqualTo(500);
        assertThat(p.fileSha256()).isEqualTo(PubliusCrypto.sha256Hex(new byte[500]));
        assertThat(p.update()).isNull();
        long stored = s.status().storedBytes();
        assertThat(stored).isGreaterThan(500);

        PieceStore again = new PieceStore(dir, 1000, 10_000);
        assertThat(again.status().names()).isEqualTo(1);
        assertThat(again.status().storedBytes()).isEqualTo(stored);
        assertThat(again.piece(NAME)).contains(p);
    }

    @Test
    void aFileChangedOnDiskShowsItsNewDigest() throws Exception {
        PieceStore s = new PieceStore(dir, 1000, 10_000);
        s.store(NAME, new byte[500], SHARE, hash("pw"));
        byte[] changed = new byte[500];
        changed[7] = 1;
        Files.write(s.directory(NAME).resolve("file"), changed);
        assertThat(s.piece(NAME).orElseThrow().fileSha256()).isEqualTo(PubliusCrypto.sha256Hex(changed));
    }

    @Test
    void deleteAndUpdateNeedTheStoredHash() {
        PieceStore s = new PieceStore(dir, 1000, 10_000);
        s.store(NAME, new byte[500], SHARE, hash("pw"));
        assertThat(refusal(() -> s.delete(NAME, hash("other")))).isEqualTo(Refusal.WRONG_PASSWORD);
        assertThat(refusal(() -> s.update(NAME, hash("other"), URL))).isEqualTo(Refusal.WRONG_PASSWORD);
        assertThat(refusal(() -> s.update(NAME, hash("pw"), "http://not-publius"))).isEqualTo(Refusal.INVALID);
        assertThat(s.piece(NAME)).isPresent();

        s.update(NAME, hash("pw"), URL);
        Piece p = s.piece(NAME).orElseThrow();
        assertThat(p.update()).isEqualTo(URL);
        assertThat(p.share()).isNull();
        assertThat(p.hasFile()).isFalse();
        assertThat(s.directory(NAME).resolve("file")).doesNotExist();
        assertThat(s.status().storedBytes()).isLessThan(500);

        s.delete(NAME, hash("pw"));
        assertThat(s.piece(NAME)).isEmpty();
        assertThat(s.status().names()).isZero();
        assertThat(s.status().storedBytes()).isZero();
        assertThat(refusal(() -> s.delete(NAME, hash("pw")))).isEqualTo(Refusal.NOT_FOUND);
    }

    @Test
    void limitsAndMalformedPiecesAreRefused() {
        PieceStore s = new PieceStore(dir, 1000, 1500);
        assertThat(refusal(() -> s.store(NAME, new byte[1001], SHARE, hash("pw")))).isEqualTo(Refusal.TOO_LARGE);
        assertThat(refusal(() -> s.store(NAME, new byte[0], SHARE, hash("pw")))).isEqualTo(Refusal.INVALID);
        assertThat(refusal(() -> s.store(NAME, new byte[10], "!", hash("pw")))).isEqualTo(Refusal.INVALID);
        assertThat(refusal(() -> s.store(NAME, new byte[10], SHARE, "nothex"))).isEqualTo(Refusal.INVALID);
        s.store(NAME, new byte[1000], SHARE, hash("pw"));
        assertThat(refusal(() -> s.store(NAME, new byte[10], SHARE, hash("pw")))).isEqualTo(Refusal.EXISTS);
        assertThat(refusal(() -> s.store(new PubliusName(1), new byte[1000], SHARE, hash("pw")))).isEqualTo(Refusal.STORAGE_FULL);
        assertThat(s.status().names()).isEqualTo(1);
        assertThat(s.directory(new PubliusName(1))).doesNotExist();
        assertThatThrownBy(() -> new PieceStore(dir, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
