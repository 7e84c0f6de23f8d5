package org.p2plab.anycast;

import java.util.ArrayList;
import java.util.List;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * An application-layer anycast resolver and/or replicated content server with its push daemon
 * ({@code p2plab.anycast.role}).
 * <p>
 * {@code --p2plab.lab.ports=8084,8184,8284,8384,8484} runs the lab's anycast system in this
 * JVM: node 0 the resolver authoritative for {@value #LAB_DOMAIN} (DNS on 5353, or
 * {@code --p2plab.anycast.lab-dns-port}), nodes 1 to 3
 * content servers of {@value #LAB_GROUP} with artificial delays of 20, 150 and 400 ms that
 * register with it, and node 4 a local resolver that knows no groups and asks node 0 (DNS on
 * 5354). With fewer ports, fewer of them; {@code ./lab.sh} does this.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AnycastResolverApplication {

    /** The lab's authoritative domain and its group. */
    public static final String LAB_DOMAIN = "cc.gatech.edu";
    public static final String LAB_GROUP = "Daily-News%cc.gatech.edu";
    private static final String[] LAB_DELAYS = {"20ms", "150ms", "400ms"};

    /** The lab's DNS port: the resolver's; the local resolver's is the next one. */
    static final String LAB_DNS_PORT = "--p2plab.anycast.lab-dns-port=";

    public static void main(String[] args) {
        int dns = labDnsPort(args);
        NodeHost.PerNodeArguments node = (i, ports, host) -> labNode(i, ports, host, dns);
        NodeHost.run(AnycastResolverApplication.class, NodeHost.withLabNode(args, "anycast", node), node);
    }

    static int labDnsPort(String[] args) {
        int port = 5353;
        for (String a : args) {
            if (a.startsWith(LAB_DNS_PORT)) {
                port = Integer.parseInt(a.substring(LAB_DNS_PORT.length()).strip());
            }
        }
        return port;
    }

    /** Node {@code i}'s role in the lab (see the class comment). */
    public static List<String> labNode(int i, List<Integer> ports, String host, int dnsPort) {
        String authority = "http://" + host + ":" + ports.get(0);
        List<String> a = new ArrayList<>();
        if (i == 0) {
            a.add("--p2plab.anycast.role=resolver");
            a.add("--p2plab.anycast.domains=" + LAB_DOMAIN);
            a.add("--p2plab.anycast.dns-port=" + dnsPort);
        }
        else if (i <= LAB_DELAYS.length) {
            a.add("--p2plab.anycast.role=content");
            a.add("--p2plab.anycast.resolver=" + authority);
            a.add("--p2plab.anycast.group=" + LAB_GROUP);
            a.add("--p2plab.anycast.artificial-delay=" + LAB_DELAYS[i - 1]);
            a.add("--p2plab.anycast.load-factor=0.5");
        }
        else {
            a.add("--p2plab.anycast.role=resolver");
            a.add("--p2plab.anycast.parent=" + authority);
            a.add("--p2plab.anycast.dns-port=" + (dnsPort + i - LAB_DELAYS.length));
        }
        return a;
    }
}
