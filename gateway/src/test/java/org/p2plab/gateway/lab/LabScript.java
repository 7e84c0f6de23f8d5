package org.p2plab.gateway.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./lab.sh} run by a test: started with options, awaited until it prints "p2plab is up",
 * stopped with {@code ./lab.sh stop}, and killed outright by {@link #close()} if a test fails
 * half-way, so that nothing outlives the test.
 */
public final class LabScript implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public static final Path REPO = Path.of(System.getProperty("p2plab.test.repo", "..")).toAbsolutePath().normalize();

    private final Path data;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process lab;
    /** How long lab.sh may take to bring everything up in a test. */
    static final java.time.Duration START_TIMEOUT = java.time.Duration.ofSeconds(300);

    public LabScript(Path data) {
        this.data = data;
    }

    /** Runs {@code ./lab.sh --data <data> <options>} and waits until it is up (or fails the test). */
    public void start(String... options) throws Exception {
        output.clear();
        List<String> command = new ArrayList<>(List.of("bash", REPO.resolve("lab.sh").toString(), "--data", data.toString()));
        command.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // the tests' labs are big (a JVM per node in DashboardQueriesIT) and CI machines slow: more than
        // lab.sh's default 180 s for everything to come up, and this side waits a little longer still
        pb.environment().put("LAB_START_TIMEOUT", Long.toString(START_TIMEOUT.toSeconds()));
        lab = pb.start();
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(lab.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("p2plab is up")) {
                        up.complete(true);
                    }
                }
            }
            catch (IOException ignored) {
                // the process went away
            }
            up.complete(false);
        });
        boolean started = up.get(START_TIMEOUT.toSeconds() + 60, TimeUnit.SECONDS);
        assertThat(started).as("lab.sh output:%n%s", String.join("\n", output)).isTrue();
    }

    /** What lab.sh printed so far. */
    public List<String> output() {
        return output;
    }

    /** The processes lab.sh started whose command ends with one of these names ("java", "prometheus"). */
    public List<ProcessHandle> processes(String... commands) {
        return lab.descendants().filter(p -> p.info().command()
                .map(c -> Stream.of(commands).anyMatch(c::endsWith)).orElse(false)).toList();
    }

    /** The JVM whose command line has {@code --server.port=<port>} (a node of {@code --jvm-per-node}). */
    public ProcessHandle jvmServing(int port) {
        return processes("java").stream()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("--server.port=" + port)).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no JVM with --server.port=" + port));
    }

    /** {@code ./lab.sh stop}: succeeds, the lab script exits, and says "stopped.". */
    public void stop() throws Exception {
        Process stop = new ProcessBuilder("bash", REPO.resolve("lab.sh").toString(), "stop", "--data", data.toString())
                .redirectErrorStream(true).start();
        assertThat(stop.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String said = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(stop.exitValue()).as(said).isZero();
        assertThat(lab.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(output).anyMatch(l -> l.startsWith("stopped."));
    }

    @Override
    public void close() {
        if (lab != null && lab.isAlive()) {
            lab.descendants().forEach(p -> {
                sendSignal(p, "CONT"); // a stopped process cannot act on TERM, and KILL must not leave it frozen
                p.destroyForcibly();
            });
            lab.destroyForcibly();
        }
    }

    /** kill -SIGNAL pid (STOP and CONT freeze and thaw a node: a peer that vanishes mid-call). */
    public static void sendSignal(ProcessHandle p, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        catch (IOException | InterruptedException e) {
            throw new IllegalStateException("kill -" + signal + " " + p.pid(), e);
        }
    }

    /**
     * Whether the {@code prometheus} binary is installed. Tests that need it are skipped without
     * it, unless {@code P2PLAB_REQUIRE_PROMETHEUS} is set (CI sets it): then its absence fails them.
     */
    public static boolean prometheusInstalled() {
        boolean installed = onPath("prometheus");
        if (!installed && System.getenv("P2PLAB_REQUIRE_PROMETHEUS") != null) {
            throw new AssertionError("P2PLAB_REQUIRE_PROMETHEUS is set but there is no prometheus on the PATH "
                    + "(apt-get install prometheus)");
        }
        return installed;
    }

    /**
     * A request to the lab (body as text with this Content-Type; null body: none), 30 s at most,
     * with headers given as name, value, name, value...
     */
    public static HttpResponse<String> send(String method, String url, String body, String contentType, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send("GET", url, null, null);
    }

    public static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    /** lab.sh's layout: node 0 of a system on its {@code --<system>-port}, node i on that port + 100·i. */
    public static int nodePort(int base, int i) {
        return base + 100 * i;
    }

    public static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }
}
