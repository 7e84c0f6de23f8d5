package org.p2plab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The chart with a real Helm (no cluster): {@code helm lint --strict} and {@code helm template}
 * with the default values, a minimal set (Chord + gateway, small) and a full one (16 Chord nodes,
 * Ingress, ServiceMonitor), and what the rendered objects say.
 */
class HelmChartTest {

    static final String MINIMAL = "helm/p2plab/ci/minimal-values.yaml";
    static final String FULL = "helm/p2plab/ci/full-values.yaml";
    private static Helm helm;

    @BeforeAll
    static void findHelm() {
        if (helm != null) {
            return;
        }
        helm = Helm.find().orElse(null);
        Assumptions.assumeTrue(helm != null, "needs helm: scripts/install-helm.sh");
    }

    @Test
    void lintStrictPassesWithEveryValuesFile() {
        for (String[] values : List.of(new String[0], new String[] {"-f", MINIMAL}, new String[] {"-f", FULL})) {
            List<String> args = new ArrayList<>(List.of("lint", "--strict", Helm.CHART.toString()));
            args.addAll(List.of(values));
            Helm.Result lint = helm.run(args.toArray(String[]::new));
            assertThat(lint.exitCode()).as("helm %s%n%s", String.join(" ", args), lint.all()).isZero();
        }
    }

    @Test
    void aMistypedOrImpossibleValueFailsThroughTheSchema() {
        Helm.Result typo = helm.run("lint", "--strict", Helm.CHART.toString(), "--set", "chord.replica=3");
        assertThat(typo.exitCode()).isNotZero();
        assertThat(typo.all()).contains("Additional property replica is not allowed");
        Helm.Result zero = helm.run("template", "t", Helm.CHART.toString(), "--set", "chord.replicas=0");
        assertThat(zero.exitCode()).isNotZero();
        assertThat(zero.all()).contains("chord.replicas");
        Helm.Result duration = helm.run("template", "t", Helm.CHART.toString(), "--set", "chord.stabilizeInterval=soon");
        assertThat(duration.exitCode()).isNotZero();
    }

    @Test
    void defaults() {
        List<Map<String, Object>> objects = render();
        assertThat(objects).extracting(o -> o.get("kind") + "/" + name(o)).containsExactlyInAnyOrder(
                "Deployment/t-gateway", "Service/t-gateway",
                "StatefulSet/t-chord-node", "Service/t-chord-node", "Service/t-chord-node-headless",
                "PodDisruptionBudget/t-chord-node", "ConfigMap/t-dashboards",
                "StatefulSet/t-can-node", "Service/t-can-node", "Service/t-can-node-headless", "PodDisruptionBudget/t-can-node",
                "StatefulSet/t-publius-server", "Service/t-publius-server", "Service/t-publius-server-headless",
                "PodDisruptionBudget/t-publius-server",
                "Deployment/t-anycast-resolver", "Service/t-anycast-resolver",
                "StatefulSet/t-anycast-content", "Service/t-anycast-content", "Service/t-anycast-content-headless",
                "PodDisruptionBudget/t-anycast-content",
                "Deployment/t-overcast-root", "Service/t-overcast-root",
                "StatefulSet/t-overcast-node", "Service/t-overcast-node", "Service/t-overcast-node-headless",
                "PodDisruptionBudget/t-overcast-node",
                "Deployment/t-index-service", "Service/t-index-service",
                "StatefulSet/t-napster-peer", "Service/t-napster-peer", "Service/t-napster-peer-headless",
                "PodDisruptionBudget/t-napster-peer",
                "StatefulSet/t-gnutella-ultrapeer", "Service/t-gnutella-ultrapeer", "Service/t-gnutella-ultrapeer-headless",
                "PodDisruptionBudget/t-gnutella-ultrapeer",
                "StatefulSet/t-gnutella-leaf", "Service/t-gnutella-leaf", "Service/t-gnutella-leaf-headless",
                "PodDisruptionBudget/t-gnutella-leaf");
        Map<String, Object> sts = one(objects, "StatefulSet", "t-chord-node");
        assertThat(get(sts, "spec", "replicas")).isEqualTo(4);
        assertThat(get(sts, "spec", "volumeClaimTemplates")).asList().hasSize(1);
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains("--p2plab.gateway.systems.chord.node-count=4");
        assertThat(image(sts)).isEqualTo("p2plab/chord-node:0.1.0");
        Map<String, Object> can = one(objects, "StatefulSet", "t-can-node");
        assertThat(get(can, "spec", "replicas")).isEqualTo(4);
        assertThat(get(can, "spec", "volumeClaimTemplates")).as("CAN keeps its keys in memory").isNull();
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains("--p2plab.gateway.systems.can.node-count=4",
                "--p2plab.gateway.systems.can.enabled=true");
        Map<String, Object> publius = one(objects, "StatefulSet", "t-publius-server");
        assertThat(get(publius, "spec", "replicas")).isEqualTo(5);
        assertThat(get(publius, "spec", "volumeClaimTemplates")).as("the name directories persist").asList().hasSize(1);
        String domain = "t-publius-server-headless.default.svc:8083";
        assertThat(args(publius)).as("every pod lists all m servers, pod i at location i+1").contains(
                "--p2plab.publius.servers=http://t-publius-server-0." + domain + ",http://t-publius-server-1." + domain
                        + ",http://t-publius-server-2." + domain + ",http://t-publius-server-3." + domain
                        + ",http://t-publius-server-4." + domain,
                "--p2plab.publius.data-dir=/data", "--p2plab.publius.role=server,client");
        assertThat(image(publius)).isEqualTo("p2plab/publius-server:0.1.0");
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains("--p2plab.gateway.systems.publius.node-count=5",
                "--p2plab.gateway.systems.publius.enabled=true");

        Map<String, Object> resolver = one(objects, "Deployment", "t-anycast-resolver");
        assertThat(args(resolver)).contains("--p2plab.anycast.role=resolver", "--p2plab.anycast.domains=cc.gatech.edu",
                "--p2plab.anycast.dns-port=5353");
        assertThat(image(resolver)).isEqualTo("p2plab/anycast-resolver:0.1.0");
        assertThat(get(one(objects, "Service", "t-anycast-resolver"), "spec", "ports")).asList()
                .extracting(p -> ((Map<?, ?>) p).get("name") + "/" + ((Map<?, ?>) p).get("protocol"))
                .containsExactly("http/TCP", "dns-udp/UDP", "dns-tcp/TCP");
        Map<String, Object> content = one(objects, "StatefulSet", "t-anycast-content");
        assertThat(get(content, "spec", "replicas")).isEqualTo(3);
        assertThat(image(content)).as("one image, two roles").isEqualTo("p2plab/anycast-resolver:0.1.0");
        assertThat(args(content)).contains("--p2plab.anycast.role=content",
                "--p2plab.anycast.resolver=http://t-anycast-resolver:8084", "--p2plab.anycast.group=Daily-News%cc.gatech.edu",
                "--p2plab.anycast.advertised-address=http://$(POD_NAME).t-anycast-content-headless.default.svc:8084",
                "--p2plab.anycast.replica-delays=20ms,150ms,400ms", "--p2plab.anycast.replica-index=$(POD_INDEX)");
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains("--p2plab.gateway.systems.anycast.enabled=true",
                "--p2plab.gateway.systems.anycast.url=http://t-anycast-resolver:8084",
                "--p2plab.gateway.systems.anycast.node-count=3");

        Map<String, Object> overcastRoot = one(objects, "Deployment", "t-overcast-root");
        assertThat(get(overcastRoot, "spec", "replicas")).isEqualTo(1);
        assertThat(image(overcastRoot)).isEqualTo("p2plab/overcast-root:0.1.0");
        assertThat(args(overcastRoot)).contains("--p2plab.overcast.role=root",
                "--p2plab.overcast.advertised-address=http://t-overcast-root:8085", "--p2plab.overcast.serving-rate=2MB",
                "--p2plab.overcast.data-dir=/tmp/overcast");
        assertThat(get(one(objects, "Service", "t-overcast-root"), "spec", "ports")).asList()
                .extracting(p -> ((Map<?, ?>) p).get("name") + "/" + ((Map<?, ?>) p).get("port"))
                .containsExactly("http/8085");
        Map<String, Object> overcastNodes = one(objects, "StatefulSet", "t-overcast-node");
        assertThat(get(overcastNodes, "spec", "replicas")).isEqualTo(3);
        assertThat(get(overcastNodes, "spec", "serviceName")).isEqualTo("t-overcast-node-headless");
        assertThat(image(overcastNodes)).as("one image, two roles").isEqualTo("p2plab/overcast-root:0.1.0");
        assertThat(args(overcastNodes)).contains("--p2plab.overcast.role=node",
                "--p2plab.overcast.root=http://t-overcast-root:8085",
                "--p2plab.overcast.advertised-address=http://$(POD_NAME).t-overcast-node-headless.default.svc:8085",
                "--p2plab.overcast.replica-rates=4MB,256KB,1MB", "--p2plab.overcast.replica-index=$(POD_INDEX)",
                "--p2plab.overcast.lease=10s", "--p2plab.overcast.round-period=2s", "--p2plab.overcast.reevaluate-period=30s",
                "--p2plab.overcast.probe-size=64KB", "--p2plab.overcast.max-content-size=16MB",
                "--p2plab.overcast.data-dir=/tmp/overcast");
        wiredAsSystem(objects, "overcast", "http://t-overcast-root:8085",
                "http://t-overcast-node-{i}.t-overcast-node-headless.default.svc:8085", overcastRoot, overcastNodes);

        Map<String, Object> napsterIndex = one(objects, "Deployment", "t-index-service");
        assertThat(get(napsterIndex, "spec", "replicas")).as("one central index").isEqualTo(1);
        assertThat(get(napsterIndex, "spec", "strategy", "type")).isEqualTo("Recreate");
        assertThat(image(napsterIndex)).isEqualTo("p2plab/index-service:0.1.0");
        assertThat(args(napsterIndex)).contains("--server.port=8081", "--p2plab.napster.role=index", "--p2plab.napster.port=8888",
                "--p2plab.napster.data-dir=/tmp/napster/db", "--p2plab.napster.max-results=100",
                "--p2plab.napster.max-shares-per-user=10000", "--p2plab.napster.auto-register=true",
                "--p2plab.napster.accept-timeout=30s", "--p2plab.napster.session-ttl=10m", "--p2plab.napster.password-cost=10",
                "--p2plab.napster.server-name=p2plab", "--p2plab.napster.max-payload=4096");
        assertThat(get(one(objects, "Service", "t-index-service"), "spec", "ports")).asList()
                .extracting(p -> ((Map<?, ?>) p).get("name") + "/" + ((Map<?, ?>) p).get("port") + "/" + ((Map<?, ?>) p).get("protocol"))
                .containsExactly("http/8081/TCP", "napster/8888/TCP");
        Map<String, Object> napsterPeers = one(objects, "StatefulSet", "t-napster-peer");
        assertThat(get(napsterPeers, "spec", "replicas")).isEqualTo(3);
        assertThat(get(napsterPeers, "spec", "serviceName")).isEqualTo("t-napster-peer-headless");
        assertThat(image(napsterPeers)).as("one image, two roles").isEqualTo("p2plab/index-service:0.1.0");
        assertThat(args(napsterPeers)).contains("--p2plab.napster.role=peer", "--p2plab.napster.server=t-index-service:8888",
                "--p2plab.napster.data-dir=/tmp/napster/db", "--p2plab.napster.peer.nick=$(POD_NAME)",
                "--p2plab.napster.peer.data-port=6699", "--p2plab.napster.peer.link-speed=7",
                "--p2plab.napster.peer.upload-slots=3", "--p2plab.napster.peer.shared-dir=/tmp/napster/share",
                "--p2plab.napster.peer.download-dir=/tmp/napster/downloads");
        wiredAsSystem(objects, "napster", "http://t-index-service:8081",
                "http://t-napster-peer-{i}.t-napster-peer-headless.default.svc:8081", napsterIndex, napsterPeers);

        Map<String, Object> ultrapeers = one(objects, "StatefulSet", "t-gnutella-ultrapeer");
        assertThat(get(ultrapeers, "spec", "replicas")).isEqualTo(4);
        assertThat(get(ultrapeers, "spec", "serviceName")).isEqualTo("t-gnutella-ultrapeer-headless");
        assertThat(image(ultrapeers)).isEqualTo("p2plab/gnutella-peer:0.1.0");
        String upDomain = "t-gnutella-ultrapeer-headless.default.svc:6346";
        String bootstrap = "--p2plab.gnutella.peers=t-gnutella-ultrapeer-0." + upDomain + ",t-gnutella-ultrapeer-1." + upDomain;
        assertThat(args(ultrapeers)).as("every servent connects to the first two ultrapeers by their stable names").contains(
                "--server.port=8082", "--p2plab.gnutella.ultrapeer=true", "--p2plab.gnutella.listen-port=6346",
                "--p2plab.gnutella.advertised-host=$(POD_IP)", bootstrap, "--p2plab.gnutella.target-connections=3",
                "--p2plab.gnutella.max-ultrapeers=32", "--p2plab.gnutella.max-leaves=30", "--p2plab.gnutella.max-ttl=7",
                "--p2plab.gnutella.initial-ttl=7", "--p2plab.gnutella.keepalive=15s", "--p2plab.gnutella.idle-timeout=60s",
                "--p2plab.gnutella.search-lifetime=60s", "--p2plab.gnutella.upload-slots=4",
                "--p2plab.gnutella.refuse-freeloaders=false", "--p2plab.gnutella.max-share-size=16MB",
                "--p2plab.gnutella.shared-dir=/tmp/gnutella/shared", "--p2plab.gnutella.download-dir=/tmp/gnutella/downloads");
        assertThat(env(ultrapeers)).as("the pod's IP, which Gnutella's messages carry").containsEntry("POD_IP", "status.podIP");
        assertThat(get(one(objects, "Service", "t-gnutella-ultrapeer"), "spec", "ports")).asList()
                .extracting(p -> ((Map<?, ?>) p).get("name") + "/" + ((Map<?, ?>) p).get("port") + "/" + ((Map<?, ?>) p).get("targetPort"))
                .containsExactly("http/8082/http", "gnutella/6346/gnutella");
        assertThat(get(one(objects, "Service", "t-gnutella-ultrapeer-headless"), "spec", "ports")).asList().hasSize(2);
        Map<String, Object> leaves = one(objects, "StatefulSet", "t-gnutella-leaf");
        assertThat(get(leaves, "spec", "replicas")).isEqualTo(2);
        assertThat(image(leaves)).as("one image, two roles").isEqualTo("p2plab/gnutella-peer:0.1.0");
        assertThat(args(leaves)).contains("--p2plab.gnutella.ultrapeer=false", "--p2plab.gnutella.advertised-host=$(POD_IP)",
                bootstrap, "--p2plab.gnutella.leaf-ultrapeers=2", "--p2plab.gnutella.target-connections=2");
        assertThat(args(leaves)).noneMatch(a -> a.startsWith("--p2plab.gnutella.max-leaves="));
        assertThat(env(leaves)).containsEntry("POD_IP", "status.podIP");
        for (Map<String, Object> servents : List.of(ultrapeers, leaves)) {
            assertThat(ChartArgsIT.containerPort(ChartArgsIT.container(servents), "gnutella")).isEqualTo(6346);
        }
        gnutellaWired(objects, "default", 4, 2, ultrapeers, leaves);
    }

    /**
     * The Gnutella servents carry the {@code system} label, and the gateway routes {@code /gnutella}
     * to the ultrapeers' Service and {@code /gnutella/nodes/{i}} to ultrapeer pod i, then to the
     * leaves after them (two StatefulSets: a list of nodes, not one template).
     */
    @SafeVarargs
    static void gnutellaWired(List<Map<String, Object>> objects, String namespace, int ultrapeers, int leaves,
                              Map<String, Object>... workloads) {
        for (Map<String, Object> w : workloads) {
            assertThat(get(w, "spec", "template", "metadata", "labels"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("p2plab.io/system", "gnutella");
        }
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < ultrapeers; i++) {
            nodes.add("http://t-gnutella-ultrapeer-" + i + ".t-gnutella-ultrapeer-headless." + namespace + ".svc:8082");
        }
        for (int i = 0; i < leaves; i++) {
            nodes.add("http://t-gnutella-leaf-" + i + ".t-gnutella-leaf-headless." + namespace + ".svc:8082");
        }
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains("--p2plab.gateway.systems.gnutella.enabled=true",
                "--p2plab.gateway.systems.gnutella.url=http://t-gnutella-ultrapeer:8082",
                "--p2plab.gateway.systems.gnutella.nodes=" + String.join(",", nodes))
                .noneMatch(a -> a.startsWith("--p2plab.gateway.systems.gnutella.node-template"));
    }

    @Test
    void gnutellaWithoutLeavesAndWithFewerUltrapeersThanBootstrapHosts() {
        List<Map<String, Object>> objects = render("--set", "gnutella.leaves.replicas=0", "--set", "gnutella.ultrapeers.replicas=1");
        assertThat(objects).extracting(o -> name(o)).doesNotContain("t-gnutella-leaf", "t-gnutella-leaf-headless");
        Map<String, Object> ultrapeers = one(objects, "StatefulSet", "t-gnutella-ultrapeer");
        assertThat(args(ultrapeers)).as("only the ultrapeers there are")
                .contains("--p2plab.gnutella.peers=t-gnutella-ultrapeer-0.t-gnutella-ultrapeer-headless.default.svc:6346");
        gnutellaWired(objects, "default", 1, 0, ultrapeers);
        Helm.Result noUltrapeers = helm.run("template", "t", Helm.CHART.toString(), "--set", "gnutella.ultrapeers.replicas=0");
        assertThat(noUltrapeers.exitCode()).isNotZero();
        assertThat(noUltrapeers.all()).contains("gnutella.ultrapeers.replicas");
    }

    /**
     * The workloads' pods carry the {@code system} label the scrape turns into the dashboards'
     * {@code system}, and the gateway routes the system to {@code url} and node i (of 3) through
     * {@code nodeTemplate}.
     */
    @SafeVarargs
    static void wiredAsSystem(List<Map<String, Object>> objects, String system, String url, String nodeTemplate,
                              Map<String, Object>... workloads) {
        for (Map<String, Object> w : workloads) {
            assertThat(get(w, "spec", "template", "metadata", "labels"))
                    .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("p2plab.io/system", system);
        }
        String prefix = "--p2plab.gateway.systems." + system;
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains(prefix + ".enabled=true", prefix + ".url=" + url,
                prefix + ".node-template=" + nodeTemplate, prefix + ".node-count=3");
    }

    @Test
    void napsterPeersLogInUnderPodNamesThatFitANapsterNick() {
        // the index takes nicks of at most 50 characters (OpenNap's limit): the last peer's pod name must fit
        assertThat(render("--set", "napster.peers.replicas=10")).extracting(o -> o.get("kind") + "/" + name(o))
                .contains("StatefulSet/t-napster-peer");
        Helm.Result tooLong = helm.run("template", "a-release-name-long-enough-to-pass-the-nick-limit", Helm.CHART.toString());
        assertThat(tooLong.exitCode()).isNotZero();
        assertThat(tooLong.all()).contains("a-release-name-long-enough-to-pass-the-nick-limit-napster-peer-2").contains("at most 50 characters");
        Helm.Result off = helm.run("template", "a-release-name-long-enough-to-pass-the-nick-limit", Helm.CHART.toString(), "--set", "napster.create=false");
        assertThat(off.exitCode()).as(off.err()).isZero();
    }

    @Test
    void minimal() {
        List<Map<String, Object>> objects = render("-f", MINIMAL);
        assertThat(objects).extracting(o -> o.get("kind")).doesNotContain("ConfigMap", "ServiceMonitor", "Ingress");
        assertThat(objects).extracting(o -> name(o)).doesNotContain("t-can-node", "t-publius-server", "t-anycast-resolver",
                "t-anycast-content", "t-overcast-root", "t-overcast-node", "t-index-service", "t-napster-peer",
                "t-gnutella-ultrapeer", "t-gnutella-leaf");
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains("--p2plab.gateway.systems.can.enabled=false",
                "--p2plab.gateway.systems.publius.enabled=false", "--p2plab.gateway.systems.anycast.enabled=false",
                "--p2plab.gateway.systems.overcast.enabled=false", "--p2plab.gateway.systems.napster.enabled=false",
                "--p2plab.gateway.systems.gnutella.enabled=false");
        Map<String, Object> sts = one(objects, "StatefulSet", "t-chord-node");
        assertThat(get(sts, "spec", "replicas")).isEqualTo(2);
        assertThat(get(sts, "spec", "volumeClaimTemplates")).isNull();
        assertThat(volumes(sts)).anySatisfy(v -> {
            assertThat(v.get("name")).isEqualTo("data");
            assertThat(v).containsKey("emptyDir");
        });
    }

    @Test
    void fullWithSixteenNodesIngressAndServiceMonitor() {
        List<Map<String, Object>> objects = render("-f", FULL);
        Map<String, Object> sts = one(objects, "StatefulSet", "t-chord-node");
        assertThat(get(sts, "spec", "replicas")).isEqualTo(16);
        assertThat(args(sts)).contains("--p2plab.chord.successor-list-size=10");
        assertThat(image(sts)).isEqualTo("ghcr.io/example/p2plab/chord-node:0.1.0");
        assertThat(get(sts, "spec", "template", "spec", "imagePullSecrets")).asList().containsExactly(Map.of("name", "regcred"));
        Map<String, Object> gateway = one(objects, "Deployment", "t-gateway");
        assertThat(get(gateway, "spec", "replicas")).isEqualTo(2);
        assertThat(args(gateway)).contains("--p2plab.gateway.systems.chord.node-count=16",
                "--p2plab.gateway.systems.can.node-count=8");
        assertThat(args(one(objects, "StatefulSet", "t-can-node"))).contains("--p2plab.can.dimensions=3",
                "--p2plab.can.uniform-partitioning=true");
        Map<String, Object> publius = one(objects, "StatefulSet", "t-publius-server");
        assertThat(get(publius, "spec", "replicas")).isEqualTo(10);
        assertThat(args(publius)).contains("--p2plab.publius.max-document-size=8MB", "--p2plab.publius.max-stored-size=512MB",
                "--p2plab.http.artificial-latency=20ms");
        assertThat(args(publius).stream().filter(a -> a.startsWith("--p2plab.publius.servers=")).findFirst().orElseThrow()
                .split(",")).hasSize(10);
        Map<String, Object> content = one(objects, "StatefulSet", "t-anycast-content");
        assertThat(get(content, "spec", "replicas")).isEqualTo(5);
        assertThat(args(content)).contains("--p2plab.anycast.replica-delays=0ms,1s", "--p2plab.anycast.load-factor=2.5",
                "--p2plab.anycast.group=Video%example.org", "--p2plab.http.artificial-latency=10ms");
        Map<String, Object> resolver = one(objects, "Deployment", "t-anycast-resolver");
        assertThat(args(resolver)).contains("--p2plab.anycast.domains=example.org", "--p2plab.anycast.dns-port=-1",
                "--p2plab.anycast.probe-interval=30s", "--p2plab.anycast.threshold=0.5");
        assertThat(get(one(objects, "Service", "t-anycast-resolver"), "spec", "ports")).as("no DNS ports when it is off").asList()
                .hasSize(1);
        Map<String, Object> overcastNodes = one(objects, "StatefulSet", "t-overcast-node");
        assertThat(get(overcastNodes, "spec", "replicas")).isEqualTo(7);
        assertThat(image(overcastNodes)).isEqualTo("ghcr.io/example/p2plab/overcast-root:0.1.0");
        assertThat(args(overcastNodes)).contains("--p2plab.overcast.replica-rates=4MB,512KB,0B", "--p2plab.overcast.lease=6s",
                "--p2plab.overcast.round-period=1s", "--p2plab.overcast.reevaluate-period=20s", "--p2plab.overcast.tolerance=0.2",
                "--p2plab.overcast.probe-size=128KB", "--p2plab.overcast.content-poll=2s",
                "--p2plab.overcast.max-content-size=8MB", "--p2plab.http.artificial-latency=10ms");
        assertThat(args(one(objects, "Deployment", "t-overcast-root"))).contains("--p2plab.overcast.serving-rate=8MB",
                "--p2plab.overcast.lease=6s", "--p2plab.overcast.max-content-size=8MB", "--p2plab.http.artificial-latency=10ms");
        assertThat(args(gateway)).contains("--p2plab.gateway.systems.overcast.node-count=7");
        Map<String, Object> napsterIndex = one(objects, "Deployment", "t-index-service");
        assertThat(image(napsterIndex)).isEqualTo("ghcr.io/example/p2plab/index-service:0.1.0");
        assertThat(args(napsterIndex)).contains("--p2plab.napster.port=7777", "--p2plab.napster.max-results=50",
                "--p2plab.napster.max-shares-per-user=500", "--p2plab.napster.auto-register=true",
                "--p2plab.napster.accept-timeout=15s", "--p2plab.napster.session-ttl=5m", "--p2plab.napster.password-cost=4",
                "--p2plab.napster.server-name=lab-index", "--p2plab.napster.max-payload=2048",
                "--p2plab.http.artificial-latency=10ms");
        assertThat(get(one(objects, "Service", "t-index-service"), "spec", "ports")).asList()
                .extracting(p -> ((Map<?, ?>) p).get("name") + "/" + ((Map<?, ?>) p).get("port"))
                .containsExactly("http/8081", "napster/7777");
        Map<String, Object> napsterPeers = one(objects, "StatefulSet", "t-napster-peer");
        assertThat(get(napsterPeers, "spec", "replicas")).isEqualTo(6);
        assertThat(image(napsterPeers)).isEqualTo("ghcr.io/example/p2plab/index-service:0.1.0");
        assertThat(args(napsterPeers)).contains("--p2plab.napster.server=t-index-service:7777",
                "--p2plab.napster.accept-timeout=15s", "--p2plab.napster.peer.data-port=6700",
                "--p2plab.napster.peer.link-speed=10", "--p2plab.napster.peer.upload-slots=5",
                "--p2plab.http.artificial-latency=10ms");
        assertThat(args(gateway)).contains("--p2plab.gateway.systems.napster.node-count=6");
        Map<String, Object> ultrapeers = one(objects, "StatefulSet", "t-gnutella-ultrapeer");
        assertThat(get(ultrapeers, "spec", "replicas")).isEqualTo(6);
        assertThat(image(ultrapeers)).isEqualTo("ghcr.io/example/p2plab/gnutella-peer:0.1.0");
        String upDomain = "t-gnutella-ultrapeer-headless.default.svc:6347";
        String bootstrap = "--p2plab.gnutella.peers=t-gnutella-ultrapeer-0." + upDomain + ",t-gnutella-ultrapeer-1." + upDomain
                + ",t-gnutella-ultrapeer-2." + upDomain;
        assertThat(args(ultrapeers)).contains("--p2plab.gnutella.listen-port=6347", bootstrap,
                "--p2plab.gnutella.target-connections=4", "--p2plab.gnutella.max-ultrapeers=16", "--p2plab.gnutella.max-leaves=20",
                "--p2plab.gnutella.max-ttl=5", "--p2plab.gnutella.initial-ttl=4", "--p2plab.gnutella.keepalive=10s",
                "--p2plab.gnutella.idle-timeout=45s", "--p2plab.gnutella.search-lifetime=30s", "--p2plab.gnutella.upload-slots=2",
                "--p2plab.gnutella.refuse-freeloaders=true", "--p2plab.gnutella.max-share-size=8MB");
        assertThat(get(one(objects, "Service", "t-gnutella-ultrapeer"), "spec", "ports")).asList()
                .extracting(p -> ((Map<?, ?>) p).get("name") + "/" + ((Map<?, ?>) p).get("port"))
                .containsExactly("http/8082", "gnutella/6347");
        Map<String, Object> leaves = one(objects, "StatefulSet", "t-gnutella-leaf");
        assertThat(get(leaves, "spec", "replicas")).isEqualTo(3);
        assertThat(args(leaves)).contains(bootstrap, "--p2plab.gnutella.leaf-ultrapeers=3", "--p2plab.gnutella.target-connections=3",
                "--p2plab.gnutella.max-ttl=5", "--p2plab.gnutella.refuse-freeloaders=true");
        gnutellaWired(objects, "default", 6, 3, ultrapeers, leaves);
        Map<String, Object> ingress = one(objects, "Ingress", "t-gateway");
        assertThat(get(ingress, "spec", "ingressClassName")).isEqualTo("nginx");
        assertThat(get(ingress, "spec", "rules")).asList().first().extracting(r -> ((Map<?, ?>) r).get("host"))
                .isEqualTo("p2plab.example.org");
        Map<String, Object> monitor = one(objects, "ServiceMonitor", "t-metrics");
        assertThat(get(monitor, "metadata", "labels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("release", "kube-prometheus-stack");
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) get(monitor, "spec", "endpoints")).get(0);
        assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
        assertThat(endpoint.get("honorLabels")).isEqualTo(true);
        // each pod is scraped once: the headless twin of the Chord Service is excluded
        assertThat(get(one(objects, "Service", "t-chord-node-headless"), "metadata", "labels"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("p2plab.io/scrape", "false");
    }

    @Test
    void inChartMonitoringIsWiredTogetherAndToTheDashboards() throws IOException {
        assertThat(render()).extracting(o -> o.get("kind") + "/" + name(o))
                .doesNotContain("Deployment/t-prometheus", "Deployment/t-grafana");
        List<Map<String, Object>> objects = render("-f", FULL);
        Map<String, Object> prometheus = one(objects, "Deployment", "t-prometheus");
        Map<String, Object> grafana = one(objects, "Deployment", "t-grafana");

        // Prometheus: its own service account, which may list and watch pods in this namespace
        String account = (String) get(prometheus, "spec", "template", "spec", "serviceAccountName");
        assertThat(account).isEqualTo(name(one(objects, "ServiceAccount", "t-prometheus")));
        Map<String, Object> binding = one(objects, "RoleBinding", "t-prometheus");
        assertThat(map(((List<?>) binding.get("subjects")).get(0))).containsEntry("kind", "ServiceAccount").containsEntry("name", account);
        Map<String, Object> rule = map(((List<?>) one(objects, "Role", (String) get(binding, "roleRef", "name")).get("rules")).get(0));
        assertThat(rule.get("resources")).isEqualTo(List.of("pods"));
        assertThat(rule.get("verbs")).isEqualTo(List.of("get", "list", "watch"));
        assertThat(configMapMountedAt(prometheus, "/etc/prometheus")).isEqualTo("t-prometheus");
        assertThat(args(prometheus)).contains("--config.file=/etc/prometheus/prometheus.yml");
        assertThat((String) map(one(objects, "ConfigMap", "t-prometheus").get("data")).get("prometheus.yml"))
                .contains("kubernetes_sd_configs").contains("metrics_path: /actuator/prometheus").contains("honor_labels: true");

        // Grafana: its datasource is that Prometheus's Service, its dashboards the dashboards ConfigMap
        Map<String, Object> promService = one(objects, "Service", "t-prometheus");
        Object promPort = map(((List<?>) get(promService, "spec", "ports")).get(0)).get("port");
        Map<String, Object> grafanaConfig = map(one(objects, "ConfigMap", "t-grafana").get("data"));
        assertThat((String) grafanaConfig.get("datasources.yaml")).contains("url: http://" + name(promService) + ":" + promPort);
        Map<String, Object> provisioning = new Yaml().load((String) grafanaConfig.get("dashboards.yaml"));
        String dashboardsPath = (String) get(map(((List<?>) provisioning.get("providers")).get(0)), "options", "path");
        assertThat(configMapMountedAt(grafana, dashboardsPath)).isEqualTo("t-dashboards");
        one(objects, "ConfigMap", "t-dashboards");
        assertThat(configMapMountedAt(grafana, "/etc/grafana/provisioning/datasources/p2plab.yaml")).isEqualTo("t-grafana");
        assertThat(configMapMountedAt(grafana, "/etc/grafana/provisioning/dashboards/p2plab.yaml")).isEqualTo("t-grafana");
        Map<String, Object> secret = map(one(objects, "Secret", "t-grafana").get("data"));
        Map<String, String> env = new java.util.HashMap<>();
        for (Object e : (List<?>) map(((List<?>) get(grafana, "spec", "template", "spec", "containers")).get(0)).get("env")) {
            Map<String, Object> var = map(e);
            Object ref = get(var, "valueFrom", "secretKeyRef", "key");
            if (ref != null) {
                assertThat(get(var, "valueFrom", "secretKeyRef", "name")).isEqualTo("t-grafana");
                assertThat(secret).containsKey((String) ref);
            }
            env.put((String) var.get("name"), (String) var.get("value"));
        }
        String home = env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).startsWith(dashboardsPath + "/");
        assertThat(Helm.CHART.resolve("dashboards").resolve(home.substring(dashboardsPath.length() + 1))).exists();
        assertThat(new String(java.util.Base64.getDecoder().decode((String) secret.get("admin-password")))).hasSizeGreaterThanOrEqualTo(16);

        // with dashboards.enabled off, monitoring.create still gets its dashboards
        assertThat(render("--set", "monitoring.create=true", "--set", "monitoring.dashboards.enabled=false"))
                .extracting(o -> o.get("kind") + "/" + name(o)).contains("ConfigMap/t-dashboards");
    }

    /** The ConfigMap behind the volume mounted at mountPath in a workload's first container. */
    static String configMapMountedAt(Map<String, Object> workload, String mountPath) {
        Map<String, Object> pod = map(get(workload, "spec", "template", "spec"));
        Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));
        String volume = ((List<?>) container.get("volumeMounts")).stream().map(HelmChartTest::map)
                .filter(m -> mountPath.equals(m.get("mountPath"))).map(m -> (String) m.get("name")).findFirst()
                .orElseThrow(() -> new AssertionError(name(workload) + " mounts nothing at " + mountPath));
        return ((List<?>) pod.get("volumes")).stream().map(HelmChartTest::map).filter(v -> volume.equals(v.get("name")))
                .map(v -> (String) get(v, "configMap", "name")).findFirst().orElse(null);
    }

    @Test
    void everyContainerIsNonRootReadOnlyProbedAndBounded() {
        for (List<Map<String, Object>> objects : List.of(render(), render("-f", MINIMAL), render("-f", FULL))) {
            for (Map<String, Object> workload : objects.stream().filter(o -> Objects.equals(o.get("kind"), "Deployment")
                    || Objects.equals(o.get("kind"), "StatefulSet")).toList()) {
                String what = workload.get("kind") + "/" + name(workload);
                Map<String, Object> pod = map(get(workload, "spec", "template", "spec"));
                assertThat(get(pod, "securityContext", "runAsNonRoot")).as(what).isEqualTo(true);
                // only the in-chart Prometheus reads the API (pod discovery)
                assertThat(pod.get("automountServiceAccountToken")).as(what).isEqualTo(name(workload).equals("t-prometheus"));
                boolean service = image(workload).contains("/p2plab/") || image(workload).startsWith("p2plab/");
                for (Object c : (List<?>) pod.get("containers")) {
                    Map<String, Object> container = map(c);
                    assertThat(get(container, "securityContext", "readOnlyRootFilesystem")).as(what).isEqualTo(true);
                    assertThat(get(container, "securityContext", "allowPrivilegeEscalation")).as(what).isEqualTo(false);
                    assertThat(get(container, "securityContext", "capabilities", "drop")).as(what).asList().containsExactly("ALL");
                    for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                        assertThat(get(container, probe, "httpGet", "port")).as(what + " " + probe).isEqualTo("http");
                    }
                    if (service) {
                        assertThat(get(container, "startupProbe", "httpGet", "path")).as(what).isEqualTo("/actuator/health/liveness");
                        assertThat(get(container, "livenessProbe", "httpGet", "path")).as(what).isEqualTo("/actuator/health/liveness");
                        assertThat(get(container, "readinessProbe", "httpGet", "path")).as(what).isEqualTo("/actuator/health/readiness");
                    }
                    assertThat(get(container, "resources", "requests", "memory")).as(what).isNotNull();
                    assertThat(get(container, "resources", "limits", "memory")).as(what).isNotNull();
                    assertThat((List<?>) container.get("volumeMounts")).as(what)
                            .anySatisfy(m -> assertThat(map(m)).containsEntry("mountPath", "/tmp"));
                }
            }
        }
    }

    @Test
    void chordPodsAndTheGatewayAgreeOnTheStableNames() {
        List<Map<String, Object>> objects = render("--namespace", "lab");
        Map<String, Object> sts = one(objects, "StatefulSet", "t-chord-node");
        Map<String, Object> headless = one(objects, "Service", "t-chord-node-headless");
        assertThat(get(sts, "spec", "serviceName")).isEqualTo("t-chord-node-headless");
        assertThat(get(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat(get(headless, "spec", "publishNotReadyAddresses")).isEqualTo(true);
        String domain = "t-chord-node-headless.lab.svc:8086";
        // pod 0 advertises exactly the bootstrap address (so it creates the ring), pod i joins through it
        assertThat(args(sts)).contains("--p2plab.chord.advertised-address=http://$(POD_NAME)." + domain,
                "--p2plab.chord.bootstrap=http://t-chord-node-0." + domain, "--p2plab.chord.data-dir=/data");
        assertThat(args(one(objects, "Deployment", "t-gateway"))).contains(
                "--p2plab.gateway.systems.chord.node-template=http://t-chord-node-{i}." + domain,
                "--p2plab.gateway.systems.chord.url=http://t-chord-node:8086");
    }

    @Test
    void theDashboardsConfigMapCarriesEveryDashboard() throws IOException {
        Map<String, Object> configMap = one(render(), "ConfigMap", "t-dashboards");
        assertThat(get(configMap, "metadata", "labels")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("grafana_dashboard", "1");
        Map<String, Object> data = map(configMap.get("data"));
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(Helm.CHART.resolve("dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                String key = f.getFileName().toString();
                assertThat(data).containsKey(key);
                JsonNode shipped = json.readTree((String) data.get(key));
                assertThat(shipped).isEqualTo(json.readTree(f.toFile()));
            }
        }
    }

    // ------------------------------------------------------------------ rendering and reading

    static List<Map<String, Object>> render(String... values) {
        List<String> args = new ArrayList<>(List.of("template", "t", Helm.CHART.toString()));
        args.addAll(List.of(values));
        Helm.Result result = helm.run(args.toArray(String[]::new));
        assertThat(result.exitCode()).as("helm %s%n%s", String.join(" ", args), result.err()).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object doc : new Yaml(new LoaderOptions()).loadAll(result.out())) {
            if (doc != null) {
                objects.add(map(doc));
            }
        }
        return objects;
    }

    static Map<String, Object> one(List<Map<String, Object>> objects, String kind, String name) {
        List<Map<String, Object>> found = objects.stream()
                .filter(o -> kind.equals(o.get("kind")) && name.equals(name(o))).toList();
        assertThat(found).as("%s/%s", kind, name).hasSize(1);
        return found.get(0);
    }

    static String name(Map<String, Object> object) {
        return (String) get(object, "metadata", "name");
    }

    static List<String> args(Map<String, Object> workload) {
        List<?> containers = (List<?>) get(workload, "spec", "template", "spec", "containers");
        return ((List<?>) map(containers.get(0)).get("args")).stream().map(String::valueOf).toList();
    }

    /** The first container's env: each variable's value, or for one from the downward API its field path. */
    static Map<String, String> env(Map<String, Object> workload) {
        List<?> containers = (List<?>) get(workload, "spec", "template", "spec", "containers");
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object e : (List<?>) map(containers.get(0)).get("env")) {
            Map<String, Object> var = map(e);
            Object field = get(var, "valueFrom", "fieldRef", "fieldPath");
            env.put((String) var.get("name"), field != null ? (String) field : String.valueOf(var.get("value")));
        }
        return env;
    }

    static String image(Map<String, Object> workload) {
        List<?> containers = (List<?>) get(workload, "spec", "template", "spec", "containers");
        return (String) map(containers.get(0)).get("image");
    }

    static List<Map<String, Object>> volumes(Map<String, Object> workload) {
        return ((List<?>) get(workload, "spec", "template", "spec", "volumes")).stream().map(HelmChartTest::map).toList();
    }

    static Object get(Map<String, Object> object, String... path) {
        Object at = object;
        for (String key : path) {
            if (!(at instanceof Map<?, ?> m)) {
                return null;
            }
            at = m.get(key);
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }
}
