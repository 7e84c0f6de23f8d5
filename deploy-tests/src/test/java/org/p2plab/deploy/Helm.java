package org.p2plab.deploy;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code helm} binary: {@code $P2PLAB_HELM}, else {@code .tools/helm/helm} (what
 * {@code scripts/install-helm.sh} installs), else {@code helm} on the PATH.
 */
final class Helm {

    static final Path REPO = Path.of(System.getProperty("p2plab.test.repo", "..")).toAbsolutePath().normalize();
    static final Path CHART = REPO.resolve("helm/p2plab");

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private final Path binary;

    private Helm(Path binary) {
        this.binary = binary;
    }

    /**
     * The helm binary, or empty when there is none. With {@code P2PLAB_REQUIRE_HELM} set (CI
     * sets it) a missing binary is an error, so that the chart tests cannot silently skip.
     */
    static Optional<Helm> find() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("P2PLAB_HELM");
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        candidates.add(REPO.resolve(".tools/helm/helm"));
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty()).map(dir -> Path.of(dir, "helm")).forEach(candidates::add);
        Optional<Helm> helm = candidates.stream().filter(Files::isExecutable).findFirst().map(Helm::new);
        if (helm.isEmpty() && System.getenv("P2PLAB_REQUIRE_HELM") != null) {
            throw new AssertionError("P2PLAB_REQUIRE_HELM is set but there is no helm: run scripts/install-helm.sh");
        }
        return helm;
    }

    Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(REPO.toFile()).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("helm " + String.join(" ", args) + " did not finish within 120 s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
