package org.p2plab.overcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The up/down protocol: births and deaths reach the root in sequence-number order, stale ones never win. */
class UpDownTest {

    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final Instant T = Instant.parse("2026-11-25T03:00:00Z");

    /** One check-in of {@code child} with {@code parent} at {@code now}. */
    private static void checkIn(UpDown child, UpDown parent, Instant now) {
        child.checkedIn(parent.handleCheckIn(child.checkIn(), now));
    }

    private static DescendantTable.Entry entry(UpDown at, String node) {
        return at.table().stream().filter(e -> e.node().equals(node)).findFirst().orElseThrow();
    }

    /** root ← a ← b, b's birth known at the root (a checked in again after b did). */
    private static UpDown[] chain() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown b = new UpDown("b", "a", LEASE);
        checkIn(a, root, T);
        checkIn(b, a, T);
        checkIn(a, root, T.plusSeconds(1));
        return new UpDown[] {root, a, b};
    }

    @Test
    void aBirthTravelsUpToTheRootWithTheNextCheckIns() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown b = new UpDown("b", "a", LEASE);
        checkIn(a, root, T);
        checkIn(b, a, T);
        assertThat(root.table()).extracting(DescendantTable.Entry::node).containsExactly("a");
        assertThat(a.pending()).as("b's birth waits for a's next check-in").isEqualTo(1);
        checkIn(a, root, T.plusSeconds(1));
        assertThat(entry(root, "b").parent()).isEqualTo("a");
        assertThat(root.alive("b")).isTrue();
        assertThat(b.ancestors()).as("b's ancestor list, root first").containsExactly("root", "a");
        assertThat(root.log(0)).extracting(l -> l.certificate().type() + " " + l.certificate().node())
                .containsExactly("BIRTH a", "BIRTH b");
        // a repeated check-in changes nothing and sends nothing up
        checkIn(b, a, T.plusSeconds(2));
        assertThat(a.pending()).isZero();
        assertThat(root.log(2)).isEmpty();
    }

    @Test
    void aChildThatMissesItsLeaseIsDeclaredDeadAndItsSubtreeWithIt() {
        UpDown[] chain = chain();
        UpDown root = chain[0];
        UpDown b = chain[2];
        assertThat(root.expireLeases(T.plusSeconds(5))).as("within the lease").isEmpty();
        // a stops checking in; the root's lease on it runs out
        assertThat(root.expireLeases(T.plusSeconds(11))).containsExactly("a");
        assertThat(entry(root, "a").alive()).isFalse();
        assertThat(entry(root, "a").last().type()).isEqualTo(Certificate.Type.DEATH);
        assertThat(root.alive("a")).isFalse();
        assertThat(root.alive("b")).as("dead through its dead parent").isFalse();
        assertThat(root.children()).isEmpty();
    }

    @Test
    void aDeathTravelsUpFromTheParentThatNoticedIt() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown b = new UpDown("b", "a", LEASE);
        checkIn(a, root, T);
        checkIn(b, a, T);
        checkIn(a, root, T.plusSeconds(9));
        assertThat(a.expireLeases(T.plusSeconds(10))).containsExactly("b");
        checkIn(a, root, T.plusSeconds(12));
        assertThat(entry(root, "b").alive()).isFalse();
        assertThat(entry(root, "b").parent()).as("the death keeps where it was").isEqualTo("a");
        assertThat(root.alive("a")).isTrue();
    }

    @Test
    void aNodeThatMovesWinsTheRaceAgainstItsOldParentsLateDeathCertificate() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown c = new UpDown("c", "root", LEASE);
        UpDown b = new UpDown("b", "a", LEASE);
        UpDown leaf = new UpDown("leaf", "b", LEASE);
        checkIn(a, root, T);
        checkIn(c, root, T);
        checkIn(b, a, T);
        checkIn(leaf, b, T);
        checkIn(b, a, T.plusSeconds(1));
        checkIn(a, root, T.plusSeconds(2));
        assertThat(entry(root, "leaf").parent()).isEqualTo("b");

        // b (with its leaf) moves from a to c: a new parent, a new sequence number
        b.newParent("c");
        assertThat(b.seq()).isEqualTo(1);
        checkIn(b, c, T.plusSeconds(3));
        assertThat(c.subtree("c")).as("b introduced its subtree to its new parent")
                .extracting(DescendantTable.Entry::node).containsExactly("b", "leaf");
        checkIn(c, root, T.plusSeconds(4));
        assertThat(entry(root, "b").parent()).isEqualTo("c");
        assertThat(entry(root, "b").seq()).isEqualTo(1);

        // later, a notices that b stopped checking in: its death certificate carries b's old number
        assertThat(a.expireLeases(T.plusSeconds(12))).containsExactly("b");
        checkIn(a, root, T.plusSeconds(13));
        assertThat(entry(root, "b").alive()).as("the stale death does not overwrite the newer birth").isTrue();
        assertThat(entry(root, "b").parent()).isEqualTo("c");
        assertThat(root.alive("leaf")).isTrue();
        assertThat(root.log(0)).extracting(l -> l.certificate().type() + " " + l.certificate().node())
                .doesNotContain("DEATH b");
    }

    @Test
    void aChildThatMovesBelowASiblingLeavesWithoutADeath() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown b = new UpDown("b", "root", LEASE);
        checkIn(a, root, T);
        checkIn(b, root, T);
        b.newParent("a");
        checkIn(b, a, T.plusSeconds(1));
        checkIn(a, root, T.plusSeconds(2));
        assertThat(root.children()).as("b's birth under a ended its lease here").containsExactly("a");
        assertThat(root.expireLeases(T.plusSeconds(11))).isEmpty();
        assertThat(root.log(0)).extracting(l -> l.certificate().type() + " " + l.certificate().node())
                .containsExactly("BIRTH a", "BIRTH b", "BIRTH b");
        assertThat(root.alive("b")).isTrue();
    }

    @Test
    void certificatesWithAForgedOlderSequenceNumberChangeNothing() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown b = new UpDown("b", "a", LEASE);
        b.newParent("a"); // seq 1
        b.newParent("a"); // seq 2
        checkIn(a, root, T);
        checkIn(b, a, T);
        checkIn(a, root, T.plusSeconds(1));
        long logged = root.log(0).size();
        // a forger checks in with certificates claiming older states of b
        root.handleCheckIn(new UpDown.CheckIn("a", 0, List.of(Certificate.death("b", "a", 1),
                Certificate.birth("b", "evil", 0), Certificate.death("b", "a", 0))), T.plusSeconds(2));
        assertThat(entry(root, "b").alive()).isTrue();
        assertThat(entry(root, "b").parent()).isEqualTo("a");
        assertThat(entry(root, "b").seq()).isEqualTo(2);
        assertThat(root.log(0)).hasSize((int) logged);
        // the same death of the current incarnation does apply, once
        root.handleCheckIn(new UpDown.CheckIn("a", 0, List.of(Certificate.death("b", "a", 2))), T.plusSeconds(3));
        assertThat(entry(root, "b").alive()).isFalse();
    }

    @Test
    void aRejoinedNodeIsAliveAgainUnderItsNewParent() {
        UpDown[] chain = chain();
        UpDown root = chain[0];
        UpDown b = chain[2];
        root.expireLeases(T.plusSeconds(20)); // a died
        assertThat(root.alive("b")).isFalse();
        // b rejoins at its nearest live ancestor, the root
        assertThat(b.ancestors()).containsExactly("root", "a");
        b.newParent("root");
        checkIn(b, root, T.plusSeconds(21));
        assertThat(root.alive("b")).isTrue();
        assertThat(entry(root, "b").parent()).isEqualTo("root");
        assertThat(b.ancestors()).containsExactly("root");
    }

    @Test
    void aFailedCheckInKeepsItsCertificatesForTheNextInOrder() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        UpDown b = new UpDown("b", "a", LEASE);
        UpDown c = new UpDown("c", "a", LEASE);
        checkIn(b, a, T);
        UpDown.CheckIn lost = a.checkIn();
        assertThat(lost.certificates()).extracting(Certificate::node).containsExactly("b");
        a.checkInFailed(lost);
        checkIn(c, a, T.plusSeconds(1));
        assertThat(a.checkIn().certificates()).extracting(Certificate::node).containsExactly("b", "c");
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new UpDown("a", "root", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        UpDown a = new UpDown("a", "root", LEASE);
        assertThatThrownBy(() -> a.newParent("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> a.handleCheckIn(new UpDown.CheckIn("a", 0, List.of()), T)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Certificate.birth("x", "y", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Certificate.birth("", "y", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplyWhoseAncestorsHoldTheNodeItselfIsALoopAndNotTaken() {
        UpDown[] c = chain();
        UpDown a = c[1];
        assertThat(a.ancestors()).containsExactly("root");
        // a and b moved under each other at once: b's answer names a among b's ancestors
        assertThat(a.checkedIn(new UpDown.Reply(List.of("root", "a", "b")))).isFalse();
        assertThat(a.ancestors()).as("the loop's list is not taken").containsExactly("root");
        assertThat(a.parentFailed()).isTrue();
        a.newParent("root");
        assertThat(a.parentFailed()).as("a new parent starts afresh").isFalse();
    }

    @Test
    void aFailedCheckInMarksTheParentFailedUntilOneSucceeds() {
        UpDown[] c = chain();
        UpDown b = c[2];
        b.checkInFailed(b.checkIn());
        assertThat(b.parentFailed()).isTrue();
        checkIn(b, c[1], T.plusSeconds(2));
        assertThat(b.parentFailed()).isFalse();
    }

    @Test
    void aNodeStartingFromItsClockOutranksItsPreviousLife() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown first = new UpDown("a", "root", LEASE, 1_000);
        checkIn(first, root, T);
        root.expireLeases(T.plus(LEASE).plusSeconds(1));
        assertThat(entry(root, "a").alive()).isFalse();
        UpDown restarted = new UpDown("a", "root", LEASE, 5_000);
        checkIn(restarted, root, T.plusSeconds(20));
        assertThat(entry(root, "a").alive()).as("the restarted node's birth is newer than its death").isTrue();
        assertThat(entry(root, "a").seq()).isEqualTo(5_000);
        assertThatThrownBy(() -> new UpDown("a", "root", LEASE, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChildDeclaredDeadDuringAnOutageIsBornAgainWhenItComesBack() {
        UpDown root = new UpDown("root", null, LEASE);
        UpDown a = new UpDown("a", "root", LEASE);
        checkIn(a, root, T);
        // the root is unreachable for longer than a lease: a's check-ins fail, the root declares it dead
        a.checkInFailed(a.checkIn());
        a.checkInFailed(a.checkIn());
        assertThat(a.seq()).as("one new incarnation per outage").isEqualTo(1);
        root.expireLeases(T.plus(LEASE).plusSeconds(1));
        assertThat(entry(root, "a").alive()).isFalse();
        checkIn(a, root, T.plus(LEASE).plusSeconds(2));
        assertThat(entry(root, "a").alive()).as("back under the same parent").isTrue();
        assertThat(entry(root, "a").seq()).isEqualTo(1);
    }
}
