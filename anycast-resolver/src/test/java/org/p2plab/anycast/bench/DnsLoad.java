package org.p2plab.anycast.bench;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A DNS load for the resolver's front-end (not a test; scripts/bench-anycast.sh runs it): C
 * clients, each sending one UDP query and waiting for its answer before the next, for S seconds.
 * Prints queries per second, latency percentiles and how many answers were not NOERROR.
 *
 * <pre>java -cp ... org.p2plab.anycast.bench.DnsLoad 127.0.0.1 5353 daily-news.cc.gatech.edu.anycast. SRV 10 8</pre>
 */
public final class DnsLoad {

    public static void main(String[] args) throws Exception {
        InetAddress server = InetAddress.getByName(args[0]);
        int port = Integer.parseInt(args[1]);
        Name name = Name.fromString(args[2]);
        int type = Type.value(args[3]);
        long seconds = Long.parseLong(args[4]);
        int clients = Integer.parseInt(args[5]);
        byte[] query = Message.newQuery(Record.newRecord(name, type, org.xbill.DNS.DClass.IN)).toWire();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong errors = new AtomicLong();
        AtomicLong timeouts = new AtomicLong();
        List<long[]> samples = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[4_000_000];
            samples.add(mine);
            threads.add(Thread.ofPlatform().start(() -> {
                int n = 0;
                byte[] buffer = new byte[4096];
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.setSoTimeout(2000);
                    while (System.nanoTime() < end && n < mine.length - 1) {
                        long start = System.nanoTime();
                        socket.send(new DatagramPacket(query, query.length, server, port));
                        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                        try {
                            socket.receive(reply);
                        }
                        catch (SocketTimeoutException e) {
                            timeouts.incrementAndGet();
                            continue;
                        }
                        mine[++n] = System.nanoTime() - start;
                        Message m = new Message(Arrays.copyOf(buffer, reply.getLength()));
                        if (m.getRcode() != Rcode.NOERROR || m.getSection(org.xbill.DNS.Section.ANSWER).isEmpty()) {
                            errors.incrementAndGet();
                        }
                    }
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                mine[0] = n;
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long total = samples.stream().mapToLong(s -> s[0]).sum();
        long[] all = new long[(int) total];
        int i = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 1, all, i, (int) s[0]);
            i += (int) s[0];
        }
        Arrays.sort(all);
        System.out.printf("| DNS %s over UDP, %d clients | %.0f | %.2f ms | %.2f ms | %.2f ms | %d errors, %d timeouts |%n",
                args[3], clients, total / (double) seconds, pct(all, 0.5), pct(all, 0.99), pct(all, 0.999), errors.get(), timeouts.get());
    }

    private static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
    }
}
