package org.p2plab.anycast.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The resolver's DNS front-end, so that unmodified applications can use anycast: a query for an
 * ADN written as a DNS name ({@code daily-news.cc.gatech.edu.anycast.}, see
 * {@link org.p2plab.anycast.protocol.Adn#dnsName()}) is answered with the server the resolver
 * chooses, with a short TTL:
 * <ul>
 *   <li>A: the chosen server's IPv4 address (a server named by host name gets a CNAME to it);</li>
 *   <li>SRV: priority 0, weight 0, the server's port and host (with its A record as additional
 *       data when the host is an IPv4 address).</li>
 * </ul>
 * Other names under {@code anycast.} are NXDOMAIN, names outside it REFUSED (this is no
 * recursive resolver), other opcodes NOTIMP, malformed queries FORMERR when their header can be
 * read and dropped when not. UDP and TCP (RFC 7766 length-prefixed) on the same port. Plain
 * Java: the choice is whatever {@link Answerer} says.
 */
public final class DnsFrontEnd implements AutoCloseable {

    /** The chosen server for a DNS name under {@code anycast.}, or empty if no group has that name. */
    @FunctionalInterface
    public interface Answerer {
        Optional<Target> answer(String dnsName);
    }

    /** A server: its host (IPv4 literal or host name) and port. */
    public record Target(String host, int port) {
    }

    static final Name ZONE = Name.fromConstantString("anycast.");
    private static final int MAX_TCP_MESSAGE = 65_535;

    private final Answerer answerer;
    private final long ttlSeconds;
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile boolean closed;

    /**
     * Binds UDP and TCP on {@code port} (0: any free port, the same for both) and starts serving.
     */
    public DnsFrontEnd(InetAddress bind, int port, Answerer answerer, long ttlSeconds) throws IOException {
        this.answerer = answerer;
        this.ttlSeconds = ttlSeconds;
        DatagramSocket u = null;
        ServerSocket t = null;
        for (int attempt = 0; attempt < 20 && t == null; attempt++) {
            u = new DatagramSocket(new InetSocketAddress(bind, port));
            try {
                t = new ServerSocket();
                t.bind(new InetSocketAddress(bind, u.getLocalPort()), 64);
            }
            catch (IOException e) {
                u.close();
                t = null;
                if (port != 0) {
                    throw e;
                }
            }
        }
        if (t == null) {
            throw new IOException("no port free for both UDP and TCP");
        }
        this.udp = u;
        this.tcp = t;
        threads.execute(this::serveUdp);
        threads.execute(this::serveTcp);
    }

    public int port() {
        return udp.getLocalPort();
    }

    /** Queries answered (any rcode) and requests that could not even be answered with an error. */
    public long queries() {
        return queries.get();
    }

    public long dropped() {
        return errors.get();
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
                byte[] query = Arrays.copyOf(packet.getData(), packet.getLength());
                byte[] response = respond(query, 512);
                if (response != null) {
                    udp.send(new DatagramPacket(response, response.length, packet.getSocketAddress()));
                }
            }
            catch (SocketException e) {
                if (closed) {
                    return;
                }
            }
            catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
            }
        }
    }

    private void serveTcp() {
        while (!closed) {
            try {
                Socket s = tcp.accept();
                threads.execute(() -> serveConnection(s));
            }
            catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One TCP connection: length-prefixed messages until the client closes or stalls for 10 s. */
    private void serveConnection(Socket socket) {
        try (socket) {
            socket.setSoTimeout(10_000);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            while (!closed) {
                int length = in.readUnsignedShort();
                byte[] query = in.readNBytes(length);
                if (query.length < length) {
                    return;
                }
                byte[] response = respond(query, MAX_TCP_MESSAGE);
                if (response == null) {
                    return; // not even a header: nothing to answer, close
                }
                out.writeShort(response.length);
                out.write(response);
                out.flush();
            }
        }
        catch (IOException | RuntimeException e) {
            // a client gone, stalled or speaking nonsense: this connection ends, the server goes on
        }
    }

    /** The response to one query, or null when not even its header can be read. */
    byte[] respond(byte[] query, int maxLength) {
        Message request;
        try {
            request = new Message(query);
        }
        catch (IOException | RuntimeException e) {
            return formatError(query);
        }
        queries.incrementAndGet();
        Header h = request.getHeader();
        if (h.getFlag(Flags.QR)) {
            return null; // a response sent to us: never answer one (no loops)
        }
        Message response = new Message(h.getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(h.getOpcode());
        if (h.getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        Record question = request.getQuestion();
        if (h.getOpcode() != Opcode.QUERY) {
            response.getHeader().setRcode(Rcode.NOTIMP);
            return response.toWire();
        }
        if (question == null || h.getCount(Section.QUESTION) != 1) {
            response.getHeader().setRcode(Rcode.FORMERR);
            return response.toWire();
        }
        response.addRecord(question, Section.QUESTION);
        Name name = question.getName();
        if (!name.subdomain(ZONE) || question.getDClass() != DClass.IN) {
            response.getHeader().setRcode(Rcode.REFUSED);
            return response.toWire();
        }
        response.getHeader().setFlag(Flags.AA);
        Optional<Target> target;
        try {
            target = answerer.answer(name.toString().toLowerCase(Locale.ROOT));
        }
        catch (RuntimeException e) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response.toWire();
        }
        if (target.isEmpty()) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            return response.toWire();
        }
        try {
            addAnswer(response, name, question.getType(), target.get());
        }
        catch (IOException e) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
        }
        byte[] wire = response.toWire();
        if (wire.length > maxLength) {
            Message truncated = new Message(h.getID());
            truncated.getHeader().setFlag(Flags.QR);
            truncated.getHeader().setFlag(Flags.TC);
            truncated.addRecord(question, Section.QUESTION);
            return truncated.toWire();
        }
        return wire;
    }

    private void addAnswer(Message response, Name name, int type, Target target) throws IOException {
        Optional<InetAddress> ipv4 = ipv4(target.host());
        Name host = Name.fromString(target.host() + ".");
        if (type == Type.A || type == Type.ANY) {
            if (ipv4.isPresent()) {
                response.addRecord(new ARecord(name, DClass.IN, ttlSeconds, ipv4.get()), Section.ANSWER);
            }
            else {
                response.addRecord(new CNAMERecord(name, DClass.IN, ttlSeconds, host), Section.ANSWER);
            }
        }
        if (type == Type.SRV || type == Type.ANY) {
            response.addRecord(new SRVRecord(name, DClass.IN, ttlSeconds, 0, 0, target.port(), host), Section.ANSWER);
            if (ipv4.isPresent()) {
                response.addRecord(new ARecord(host, DClass.IN, ttlSeconds, ipv4.get()), Section.ADDITIONAL);
            }
        }
        // any other type: NOERROR with no answer (the name exists, that type does not)
    }

    /** The address if {@code host} is an IPv4 literal (never a DNS lookup from inside a DNS server). */
    static Optional<InetAddress> ipv4(String host) {
        if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return Optional.empty();
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            return a instanceof Inet4Address ? Optional.of(a) : Optional.empty();
        }
        catch (IOException e) {
            return Optional.empty();
        }
    }

    /** FORMERR with the query's id when its 12-byte header is there; null (drop) otherwise. */
    private byte[] formatError(byte[] query) {
        if (query.length < Header.LENGTH) {
            errors.incrementAndGet();
            return null;
        }
        Header h;
        try {
            h = new Header(Arrays.copyOf(query, Header.LENGTH));
        }
        catch (IOException | RuntimeException e) {
            errors.incrementAndGet();
            return null;
        }
        if (h.getFlag(Flags.QR)) {
            return null;
        }
        queries.incrementAndGet();
        Message response = new Message(h.getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setRcode(Rcode.FORMERR);
        return response.toWire();
    }

    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        }
        catch (IOException ignored) {
            // closing
        }
        threads.shutdownNow();
    }
}
