package org.p2plab.support.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.support.testapp.TestApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeHostTest {

    @Test
    void withoutPortsThereIsNoLabMode() {
        assertThat(NodeHost.ports(new String[] {"--server.port=8086"})).isEmpty();
        assertThat(NodeHost.ports(new String[] {"--p2plab.lab.ports=8086, 18087,18088"})).containsExactly(8086, 18087, 18088);
    }

    @Test
    void oneProcessPerNodeGetsNodeIsArgumentsAfterTheOthers() {
        NodeHost.PerNodeArguments perNode = (i, ports, host) -> List.of("--role=" + i, "--first=http://" + host + ":" + ports.get(0));
        String[] args = {"--server.address=127.0.0.2", "--p2plab.x.lab-node=2", "--p2plab.x.lab-ports=8085,8185,8285", "--a=b"};
        assertThat(NodeHost.withLabNode(args, "x", perNode))
                .containsExactly("--server.address=127.0.0.2", "--a=b", "--role=2", "--first=http://127.0.0.2:8085");
        String[] plain = {"--a=b", "--p2plab.x.lab-node=2"};
        assertThat(NodeHost.withLabNode(plain, "x", perNode)).as("without the ports: unchanged").isSameAs(plain);
        assertThatIllegalArgumentException().isThrownBy(() -> NodeHost.withLabNode(
                new String[] {"--p2plab.x.lab-node=3", "--p2plab.x.lab-ports=1,2"}, "x", perNode)).withMessageContaining("2 ports");
        assertThatIllegalArgumentException().isThrownBy(() -> NodeHost.withLabNode(
                new String[] {"--p2plab.x.lab-node=one", "--p2plab.x.lab-ports=1,2"}, "x", perNode)).withMessageContaining("'one'");
    }

    @Test
    void badPortListsAreRefusedWithTheirValue() {
        assertThatIllegalArgumentException().isThrownBy(() -> NodeHost.ports(new String[] {"--p2plab.lab.ports=80x"}))
                .withMessageContaining("'80x'");
        assertThatIllegalArgumentException().isThrownBy(() -> NodeHost.ports(new String[] {"--p2plab.lab.ports=1,1"}))
                .withMessageContaining("twice");
        assertThatIllegalArgumentException().isThrownBy(() -> NodeHost.ports(new String[] {"--p2plab.lab.ports=70000"}))
                .withMessageContaining("70000");
    }

    @Test
    void severalNodesRunInOneJvmEachOnItsPortWithItsOwnArguments() throws Exception {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        List<List<Integer>> seen = new ArrayList<>();
        List<ConfigurableApplicationContext> nodes = NodeHost.run(TestApplication.class, new String[] {
                "--p2plab.lab.ports=" + ports.get(0) + "," + ports.get(1) + "," + ports.get(2),
                "--server.address=127.0.0.1", "--logging.level.root=WARN"},
                (i, all, host) -> {
                    seen.add(all);
                    return i == 0 ? List.of() : List.of("--test.bootstrap=http://" + host + ":" + all.get(0));
                });
        try {
            assertThat(nodes).hasSize(3);
            assertThat(seen).containsOnly(ports);
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 3; i++) {
                Environment env = nodes.get(i).getEnvironment();
                assertThat(env.getProperty("local.server.port", Integer.class)).isEqualTo(ports.get(i));
                assertThat(env.getProperty("p2plab.lab.node-index", Integer.class)).isEqualTo(i);
                assertThat(env.getProperty("test.bootstrap")).isEqualTo(i == 0 ? null : "http://127.0.0.1:" + ports.get(0));
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + ports.get(i) + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
            }
            // each node keeps its own meter registry
            assertThat(nodes.get(0).getBean(io.micrometer.core.instrument.MeterRegistry.class))
                    .isNotSameAs(nodes.get(1).getBean(io.micrometer.core.instrument.MeterRegistry.class));
        }
        finally {
            nodes.forEach(ConfigurableApplicationContext::close);
        }
    }

    @Test
    void aNodeThatCannotStartStopsTheOnesAlreadyStarted() throws Exception {
        int free = freePort();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> NodeHost.run(TestApplication.class, new String[] {
                    "--p2plab.lab.ports=" + free + "," + taken.getLocalPort(), "--server.address=127.0.0.1",
                    "--logging.level.root=OFF"}, (i, all, host) -> List.of()))
                    .isInstanceOf(RuntimeException.class);
        }
        // node 0 was started, then closed: its port is free again
        try (ServerSocket again = new ServerSocket(free, 1, InetAddress.getLoopbackAddress())) {
            assertThat(again.getLocalPort()).isEqualTo(free);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
