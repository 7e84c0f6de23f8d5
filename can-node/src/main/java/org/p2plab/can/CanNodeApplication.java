package org.p2plab.can;

import java.util.List;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A CAN node: user API under /dht, /lookup, /zone and /space; peer API under /peer.
 * <p>
 * {@code java -jar can-node.jar} runs one node owning the whole space; {@code --p2plab.lab.ports=8087,8187,...}
 * runs one node per port in this JVM, every node after the first joining through node 0 (what
 * {@code ./lab.sh} does).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CanNodeApplication {

    public static void main(String[] args) {
        NodeHost.run(CanNodeApplication.class, args, (i, ports, host) -> i == 0 ? List.of()
                : List.of("--p2plab.can.bootstrap=http://" + host + ":" + ports.getFirst()));
    }
}
