package org.p2plab.chord;

import java.util.List;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Chord DHT node: user API under /dht, /lookup and /ring; peer API under /peer.
 * <p>
 * {@code java -jar chord-node.jar} runs one node; {@code --p2plab.lab.ports=8086,8186,...} runs
 * one node per port in this JVM, every node after the first joining the ring through node 0
 * (what {@code ./lab.sh} does).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ChordNodeApplication {

    public static void main(String[] args) {
        NodeHost.run(ChordNodeApplication.class, args, (i, ports, host) -> i == 0 ? List.of()
                : List.of("--p2plab.chord.bootstrap=http://" + host + ":" + ports.getFirst()));
    }
}
