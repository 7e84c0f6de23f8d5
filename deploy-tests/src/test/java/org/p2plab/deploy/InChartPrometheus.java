package org.p2plab.deploy;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The chart's own Prometheus configuration ({@code monitoring.create}) run by a real Prometheus
 * on this machine. Only the discovery is swapped: Kubernetes pod discovery needs an API server,
 * so the pods it would find are written as file-discovery targets carrying exactly the
 * {@code __meta_kubernetes_*} labels pod discovery gives them (pod labels sanitized, container
 * port name, phase, namespace, name), filtered by the config's label selector. Everything else
 * (the relabeling that keeps the services and drops the monitoring, the labels the dashboards
 * select by, honor_labels, the metrics path) is the chart's, unchanged.
 */
final class InChartPrometheus implements AutoCloseable {

    /** A pod the discovery would list: its rendered labels, and where it listens on loopback. */
    record Pod(String name, Map<String, String> labels, String portName, String address) {
    }

    private final Process process;
    final String url;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private InChartPrometheus(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * The {@code prometheus} binary on the PATH, or null; with {@code P2PLAB_REQUIRE_PROMETHEUS}
     * set (CI sets it) its absence is an error.
     */
    static Path binary() {
        Path found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "prometheus")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (found == null && System.getenv("P2PLAB_REQUIRE_PROMETHEUS") != null) {
            throw new AssertionError("P2PLAB_REQUIRE_PROMETHEUS is set but there is no prometheus (apt-get install prometheus)");
        }
        return found;
    }

    @SuppressWarnings("unchecked")
    static InChartPrometheus start(Path binary, String renderedConfig, String namespace, List<Pod> pods, Path dir, int port)
            throws IOException {
        Map<String, Object> config = new Yaml().load(renderedConfig);
        for (Object sc : (List<Object>) config.get("scrape_configs")) {
            Map<String, Object> scrape = (Map<String, Object>) sc;
            List<Object> sds = (List<Object>) scrape.remove("kubernetes_sd_configs");
            if (sds == null) {
                continue;
            }
            Map<String, Object> sd = (Map<String, Object>) sds.get(0);
            String selector = "";
            for (Object s : (List<Object>) sd.getOrDefault("selectors", List.of())) {
                selector = (String) ((Map<String, Object>) s).get("label");
            }
            List<Object> namespaces = (List<Object>) ((Map<String, Object>) sd.get("namespaces")).get("names");
            List<Map<String, Object>> targets = new ArrayList<>();
            for (Pod pod : pods) {
                if (namespaces.contains(namespace) && matches(selector, pod.labels())) {
                    targets.add(Map.of("targets", List.of(pod.address()), "labels", metaLabels(pod, namespace)));
                }
            }
            Path file = dir.resolve(scrape.get("job_name") + "-targets.json");
            Files.writeString(file, new ObjectMapper().writeValueAsString(targets));
            scrape.put("file_sd_configs", List.of(Map.of("files", List.of(file.toString()))));
        }
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, new Yaml().dump(config));
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        return new InChartPrometheus(p, "http://127.0.0.1:" + port);
    }

    /** A Kubernetes equality-based label selector ({@code k=v,k2=v2}). */
    static boolean matches(String selector, Map<String, String> labels) {
        if (selector.isBlank()) {
            return true;
        }
        for (String term : selector.split(",")) {
            String[] kv = term.split("=", 2);
            if (!kv[1].equals(labels.get(kv[0]))) {
                return false;
            }
        }
        return true;
    }

    /** The labels Prometheus's Kubernetes pod discovery attaches to a pod's container port. */
    static Map<String, String> metaLabels(Pod pod, String namespace) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("__meta_kubernetes_namespace", namespace);
        meta.put("__meta_kubernetes_pod_name", pod.name());
        meta.put("__meta_kubernetes_pod_phase", "Running");
        meta.put("__meta_kubernetes_pod_ready", "true");
        meta.put("__meta_kubernetes_pod_container_port_name", pod.portName());
        pod.labels().forEach((k, v) -> {
            String name = k.replaceAll("[^a-zA-Z0-9_]", "_");
            meta.put("__meta_kubernetes_pod_label_" + name, v);
            meta.put("__meta_kubernetes_pod_labelpresent_" + name, "true");
        });
        return meta;
    }

    JsonNode api(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + ": " + r.statusCode() + " " + r.body());
        }
        return json.readTree(r.body()).path("data");
    }

    JsonNode query(String promql) throws IOException, InterruptedException {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("result");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
