package org.p2plab.publius;

import java.util.List;
import java.util.stream.Collectors;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Publius server and/or publisher-retriever client: the client's user API under /publish,
 * /retrieve, /delete, /update, /servers; the server's piece store under /peer/publius.
 * <p>
 * {@code --p2plab.lab.ports=8083,8183,...} runs one server per port in this JVM, each listing
 * all of them as the static server list (what {@code ./lab.sh} does).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PubliusServerApplication {

    public static void main(String[] args) {
        NodeHost.run(PubliusServerApplication.class, args, (i, ports, host) -> List.of("--p2plab.publius.servers="
                + ports.stream().map(p -> "http://" + host + ":" + p).collect(Collectors.joining(","))));
    }
}
