package org.p2plab.anycast.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.AnycastGroup;
import org.p2plab.anycast.protocol.AnycastGroups;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The DNS front-end over real UDP and TCP on loopback, answered from real anycast groups. */
class DnsFrontEndTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private AnycastGroups groups;
    private DnsFrontEnd dns;

    @BeforeEach
    void start() throws Exception {
        groups = new AnycastGroups(new SplittableRandom(2), 0.2);
        Adn news = Adn.parse("Daily-News%cc.gatech.edu");
        groups.create(news);
        AnycastGroup g = groups.group(news).orElseThrow();
        AnycastGroup.Member fast = g.add("http://127.0.0.7:8091", 1);
        AnycastGroup.Member slow = g.add("http://127.0.0.8:8092", 1);
        g.probe(fast.id(), 50, 10, Instant.EPOCH);
        g.probe(slow.id(), 900, 300, Instant.EPOCH);
        groups.create(Adn.parse("Mirror%example.org"));
        groups.group(Adn.parse("Mirror%example.org")).orElseThrow().add("http://mirror.example.org:8080", 1);
        dns = new DnsFrontEnd(LOOPBACK, 0, name -> groups.fromDnsName(name)
                .flatMap(adn -> groups.resolve(adn, List.of()))
                .map(r -> {
                    var uri = java.net.URI.create(r.chosen().url());
                    return new DnsFrontEnd.Target(uri.getHost(), uri.getPort());
                }), 5);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    private Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress(LOOPBACK, dns.port()));
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(3));
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    @Test
    void anAdnAsADnsNameIsAnsweredWithTheChosenServerOverUdpAndTcp() throws Exception {
        for (boolean tcp : new boolean[] {false, true}) {
            Message a = ask("daily-news.cc.gatech.edu.anycast.", Type.A, tcp);
            assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
            List<Record> answers = a.getSection(Section.ANSWER);
            assertThat(answers).hasSize(1);
            assertThat(((ARecord) answers.getFirst()).getAddress().getHostAddress()).isEqualTo("127.0.0.7");
            assertThat(answers.getFirst().getTTL()).isEqualTo(5);

            Message srv = ask("Daily-News.CC.gatech.edu.anycast.", Type.SRV, tcp);
            SRVRecord record = (SRVRecord) srv.getSection(Section.ANSWER).getFirst();
            assertThat(record.getPort()).isEqualTo(8091);
            assertThat(record.getTarget().toString()).isEqualTo("127.0.0.7.");
            assertThat(srv.getSection(Section.ADDITIONAL)).hasSize(1);
        }
        // a metric label in front: by server load the choice is the same here (TUFR 10 vs 300)
        assertThat(((ARecord) ask("serverload.daily-news.cc.gatech.edu.anycast.", Type.A, false)
                .getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress()).isEqualTo("127.0.0.7");
        // a server named by host name: a CNAME, never a lookup from inside the DNS server
        Message mirror = ask("mirror.example.org.anycast.", Type.A, false);
        assertThat(((CNAMERecord) mirror.getSection(Section.ANSWER).getFirst()).getTarget().toString())
                .isEqualTo("mirror.example.org.");
    }

    @Test
    void unknownNamesOtherZonesAndOtherTypesGetTheirDnsAnswers() throws Exception {
        assertThat(ask("nothing.cc.gatech.edu.anycast.", Type.A, false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(ask("www.example.org.", Type.A, false).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(ask("unknownmetric.daily-news.cc.gatech.edu.anycast.", Type.A, false).getRcode()).isEqualTo(Rcode.SERVFAIL);
        Message mx = ask("daily-news.cc.gatech.edu.anycast.", Type.MX, false);
        assertThat(mx.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(mx.getSection(Section.ANSWER)).isEmpty();
        Message notify = Message.newQuery(Record.newRecord(Name.fromString("daily-news.cc.gatech.edu.anycast."), Type.A, DClass.IN));
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(new Message(udp(notify.toWire())).getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void randomBytesNeitherCrashNorHangItAndMalformedQueriesGetFormerr() throws Exception {
        SplittableRandom random = new SplittableRandom(5353);
        int formerr = 0;
        int tooShort = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] junk = new byte[random.nextInt(0, 700)];
            random.nextBytes(junk);
            if (junk.length > 2) {
                junk[2] &= 0x7f; // queries (QR clear): responses are never answered, by design
            }
            if (junk.length < 12) {
                // not even a DNS header: dropped without an answer
                send(junk);
                tooShort++;
                continue;
            }
            byte[] answer = udp(junk);
            assertThat(answer).as("an answer to %d bytes with a header", junk.length).isNotNull();
            Message m = new Message(answer);
            assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
            assertThat(m.getHeader().getID()).isEqualTo(((junk[0] & 0xff) << 8) | (junk[1] & 0xff));
            if (m.getRcode() == Rcode.FORMERR) {
                formerr++;
            }
        }
        // UDP is served in order: once this is answered, every datagram before it was handled
        assertThat(ask("daily-news.cc.gatech.edu.anycast.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(dns.dropped()).isEqualTo(tooShort);
        assertThat(formerr).as("malformed queries answered FORMERR").isGreaterThan(100);
        // a truncated but well-started query
        byte[] query = Message.newQuery(Record.newRecord(Name.fromString("daily-news.cc.gatech.edu.anycast."), Type.A, DClass.IN)).toWire();
        assertThat(new Message(udp(java.util.Arrays.copyOf(query, query.length - 3))).getRcode()).isEqualTo(Rcode.FORMERR);
        // TCP: garbage and a stalled half message close that connection only
        for (int i = 0; i < 50; i++) {
            try (Socket s = new Socket(LOOPBACK, dns.port())) {
                s.setSoTimeout(2000);
                byte[] junk = new byte[random.nextInt(1, 300)];
                random.nextBytes(junk);
                s.getOutputStream().write(junk);
                s.shutdownOutput();
                s.getInputStream().readAllBytes();
            }
        }
        try (Socket s = new Socket(LOOPBACK, dns.port())) {
            new DataOutputStream(s.getOutputStream()).writeShort(200); // announces 200 bytes, sends none
            // and still, every other client is served
            assertThat(ask("daily-news.cc.gatech.edu.anycast.", Type.A, true).getRcode()).isEqualTo(Rcode.NOERROR);
            assertThat(ask("daily-news.cc.gatech.edu.anycast.", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
        }
    }

    /**
     * What an unmodified application's resolver does: {@code dig @127.0.0.1 -p <port>}, over UDP
     * and TCP. Skipped without dig, unless P2PLAB_REQUIRE_DIG is set (CI installs it).
     */
    @Test
    void digAnswersAMembersAddress() throws Exception {
        org.p2plab.anycast.Dig dig = org.p2plab.anycast.Dig.required();
        assertThat(dig.ask(dns.port(), "daily-news.cc.gatech.edu.anycast.", "A", "+short")).isEqualTo("127.0.0.7");
        assertThat(dig.ask(dns.port(), "daily-news.cc.gatech.edu.anycast.", "SRV", "+short", "+tcp")).isEqualTo("0 0 8091 127.0.0.7.");
        assertThat(dig.ask(dns.port(), "nothing.cc.gatech.edu.anycast.", "A")).contains("status: NXDOMAIN");
    }

    private void send(byte[] payload) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(payload, payload.length, LOOPBACK, dns.port()));
        }
    }

    /** One UDP exchange; null when no answer came within 2 s. */
    private byte[] udp(byte[] payload) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(payload, payload.length, LOOPBACK, dns.port()));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            try {
                s.receive(p);
                return java.util.Arrays.copyOf(p.getData(), p.getLength());
            }
            catch (SocketTimeoutException e) {
                return null;
            }
        }
    }


}
