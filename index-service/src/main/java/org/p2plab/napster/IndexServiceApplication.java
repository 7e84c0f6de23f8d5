package org.p2plab.napster;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Napster index server, a sharing peer, or both ({@code p2plab.napster.role}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IndexServiceApplication {

    public static void main(String[] args) {
        NodeHost.run(IndexServiceApplication.class, args, (i, ports, host) -> java.util.List.of());
    }
}
