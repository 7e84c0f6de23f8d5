package org.p2plab.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The shared Dockerfile and {@code scripts/build-images.sh}, checked without a container engine
 * (there is none on the CI machine): the base is pinned, the user is the chart's, every layer of
 * each service's jar lands in the image in Spring Boot's order, the build script builds every
 * service under exactly the image names the chart renders, and every argument and environment
 * variable the chart passes to a service is a property that service really has. The images
 * starting and answering their probes with the chart's arguments is {@link ChartArgsIT}.
 */
class ImageIT {

    static final List<String> SERVICES = List.of("chord-node", "can-node", "publius-server", "anycast-resolver", "overcast-root",
            "index-service", "gnutella-peer", "gateway");
    static final Pattern PINNED = Pattern.compile("^[a-z0-9./_-]+:([A-Za-z0-9._-]+)@sha256:[0-9a-f]{64}$");

    @TempDir
    static Path work;

    static final Map<String, ImageLayout.Image> built = new HashMap<>();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void needsHelm() {
        Assumptions.assumeTrue(Helm.find().isPresent(), "needs helm: scripts/install-helm.sh");
        HelmChartTest.findHelm();
    }

    static ImageLayout.Image image(String service) {
        return built.computeIfAbsent(service, s -> {
            try {
                return ImageLayout.read().build(Map.of("SERVICE", s, "JAR", ImageLayout.jar(s)), work.resolve(s));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void everyBaseImageIsAJre21OrLaterPinnedByTagAndDigest() {
        ImageLayout dockerfile = ImageLayout.read();
        Set<String> stageNames = new LinkedHashSet<>();
        assertThat(dockerfile.stages).hasSizeGreaterThanOrEqualTo(2);
        for (ImageLayout.Stage stage : dockerfile.stages) {
            String from = dockerfile.resolvedFrom(stage);
            if (!stageNames.contains(from)) {
                Matcher m = PINNED.matcher(from);
                assertThat(m.matches()).as("FROM %s: name:tag@sha256:digest", from).isTrue();
                assertThat(Integer.parseInt(m.group(1).replaceFirst("[^0-9].*", ""))).as("Java version of %s", from)
                        .isGreaterThanOrEqualTo(21);
                assertThat(m.group(1)).as("a JRE, not a JDK").contains("jre");
            }
            if (stage.name() != null) {
                stageNames.add(stage.name());
            }
        }
    }

    @Test
    void theImageRunsAsTheNonRootUserTheChartExpects() {
        ImageLayout dockerfile = ImageLayout.read();
        ImageLayout.Image image = image("chord-node");
        assertThat(image.user()).isEqualTo("10001:10001");
        String run = dockerfile.finalStage().instructions().stream().filter(i -> i.keyword().equals("RUN"))
                .map(ImageLayout.Instruction::arguments).filter(a -> a.contains("useradd")).findFirst().orElseThrow();
        assertThat(run).contains("--uid 10001").contains("--gid 10001");
        for (Map<String, Object> workload : HelmChartTest.render("-f", HelmChartTest.FULL)) {
            if (!List.of("Deployment", "StatefulSet").contains(workload.get("kind")) || !isP2plab(workload)) {
                continue;
            }
            Map<String, Object> pod = HelmChartTest.map(HelmChartTest.get(workload, "spec", "template", "spec", "securityContext"));
            assertThat(pod).as("%s", HelmChartTest.name(workload))
                    .containsEntry("runAsUser", 10001).containsEntry("runAsGroup", 10001).containsEntry("runAsNonRoot", true);
        }
        assertThat(image.entrypoint()).as("exec form, java first").startsWith("java").contains("-XX:+ExitOnOutOfMemoryError");
        assertThat(image.env()).containsKey("JAVA_TOOL_OPTIONS");
    }

    @Test
    void everyLayerOfEachJarIsCopiedOnceInSpringBootsOrder() throws IOException {
        List<String> copied = ImageLayout.read().finalStage().instructions().stream()
                .filter(i -> i.keyword().equals("COPY") && i.arguments().startsWith("--from="))
                .map(i -> i.arguments().split("\\s+")[1].replaceFirst("/$", ""))
                .map(src -> src.substring(src.lastIndexOf('/') + 1)).toList();
        for (String service : SERVICES) {
            assertThat(copied).as("layers of %s (BOOT-INF/layers.idx)", service).containsExactlyElementsOf(layers(service));
            Path app = image(service).workdir();
            assertThat(app.resolve("org/springframework/boot/loader/launch/JarLauncher.class")).exists();
            assertThat(app.resolve("BOOT-INF/classes/application.yml")).exists();
            assertThat(app.resolve("BOOT-INF/lib")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("spring-core-"));
        }
    }

    @Test
    void theBuildScriptBuildsEveryServiceUnderTheChartsImageNames() throws Exception {
        Path bin = Files.createDirectories(work.resolve("fake-bin"));
        Path log = work.resolve("calls.log");
        for (String tool : List.of("docker", "kind")) {
            Path fake = bin.resolve(tool);
            Files.writeString(fake, "#!/bin/sh\necho \"" + tool + " $*\" >> '" + log + "'\n");
            fake.toFile().setExecutable(true);
        }
        ProcessBuilder pb = new ProcessBuilder("bash", "scripts/build-images.sh", "--no-package", "--tool", "docker",
                "--registry", "registry.example:5000/lab/", "--tag", "t1", "--push", "--load", "kind")
                .directory(Helm.REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + pb.environment().get("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        List<String> calls = Files.readAllLines(log);

        List<String> chartImages = new ArrayList<>();
        for (Map<String, Object> w : HelmChartTest.render("--set", "image.registry=registry.example:5000/lab", "--set", "image.tag=t1")) {
            if (List.of("Deployment", "StatefulSet").contains(w.get("kind")) && isP2plab(w)) {
                chartImages.add(HelmChartTest.image(w));
            }
        }
        // one image per service; a service with two roles (anycast's resolver and content servers, Overcast's root
        // and nodes, Gnutella's ultrapeers and leaves) runs it twice
        assertThat(chartImages.stream().distinct()).hasSize(SERVICES.size());
        for (String image : chartImages) {
            String service = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
            assertThat(calls).as("the image the chart runs is built").contains(
                    "docker build -f Dockerfile --build-arg SERVICE=" + service + " --build-arg JAR="
                            + ImageLayout.jar(service) + " -t " + image + " .",
                    "docker push " + image, "kind load docker-image " + image + " --name kind");
            assertThat(ImageLayout.jar(service)).as("inside the build context .dockerignore leaves").matches("[^/]+/target/[^/]+\\.jar");
        }
        // every service module gets an image; the chart runs those it has a block for (a new
        // service's image exists before its chart block does)
        List<String> built = out.lines().filter(l -> l.startsWith("registry.example")).toList();
        assertThat(built).containsAll(chartImages);
        assertThat(built).allSatisfy(image -> assertThat(Helm.REPO.resolve(
                image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'))).resolve("pom.xml")).exists());

        Process bad = new ProcessBuilder("bash", "scripts/build-images.sh", "--no-package", "--tool", "docker", "--push")
                .directory(Helm.REPO.toFile()).redirectErrorStream(true).start();
        assertThat(new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("--push needs --registry");
        assertThat(bad.waitFor()).isEqualTo(2);
    }

    @Test
    void everyArgumentAndEnvironmentVariableTheChartSetsIsAPropertyOfItsService() throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        for (Map<String, Object> w : HelmChartTest.render("-f", HelmChartTest.FULL)) {
            if (!List.of("Deployment", "StatefulSet").contains(w.get("kind")) || !isP2plab(w)) {
                continue;
            }
            Map<String, Object> container = ChartArgsIT.container(w);
            String image = HelmChartTest.image(w);
            String service = image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf(':'));
            List<String> names = new ArrayList<>();
            for (Object arg : (List<?>) container.get("args")) {
                String a = String.valueOf(arg);
                assertThat(a).as("%s arguments are --name=value", service).startsWith("--").contains("=");
                names.add(a.substring(2, a.indexOf('=')));
            }
            for (Object e : (List<?>) container.get("env")) {
                String name = (String) HelmChartTest.map(e).get("name");
                // POD_NAME, POD_INDEX and POD_IP only feed $(POD_NAME), $(POD_INDEX) and $(POD_IP); JAVA_TOOL_OPTIONS is the JVM's
                if (!List.of("POD_NAME", "POD_INDEX", "POD_IP", "JAVA_TOOL_OPTIONS").contains(name)) {
                    names.add(name.toLowerCase().replace('_', '.'));
                }
            }
            settings.computeIfAbsent(service, k -> new ArrayList<>()).addAll(names);
        }
        assertThat(settings.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (Map.Entry<String, List<String>> e : settings.entrySet()) {
            Properties known = Properties.of(image(e.getKey()).workdir());
            assertThat(e.getValue()).as("%s: the chart sets p2plab settings", e.getKey()).anyMatch(n -> n.startsWith("p2plab."));
            assertThat(known.unknown(e.getValue())).as("settings %s passes to %s that it does not have", "the chart", e.getKey()).isEmpty();
        }
        // the check can fail: misspelt names, a missing map field, an unknown prefix
        Properties chord = Properties.of(image("chord-node").workdir());
        Properties gateway = Properties.of(image("gateway").workdir());
        assertThat(chord.unknown(List.of("p2plab.chord.stabilise-interval", "p2plab.chord.replicas", "server.prot")))
                .containsExactly("p2plab.chord.stabilise-interval", "server.prot");
        assertThat(gateway.unknown(List.of("p2plab.gateway.systems.chord.node-count", "p2plab.gateway.systems.chord.node-counts")))
                .containsExactly("p2plab.gateway.systems.chord.node-counts");
    }

    /**
     * The configuration properties a packaged service declares: Spring Boot's metadata
     * ({@code META-INF/*spring-configuration-metadata.json}) of its classes and of every library,
     * with map-valued properties resolved through their value type's record components.
     */
    record Properties(Set<String> names, Map<String, String> maps, ClassLoader classes) {

        static Properties of(Path app) throws IOException {
            Set<String> names = new LinkedHashSet<>();
            Map<String, String> maps = new LinkedHashMap<>();
            ObjectMapper json = new ObjectMapper();
            List<URL> urls = new ArrayList<>();
            Path classes = app.resolve("BOOT-INF/classes");
            urls.add(classes.toUri().toURL());
            List<byte[]> metadata = new ArrayList<>();
            // the application's own META-INF sits at the jar's root (Boot's repackaging), so in the image too
            for (Path dir : List.of(app.resolve("META-INF"), classes.resolve("META-INF"))) {
                for (String f : List.of("spring-configuration-metadata.json", "additional-spring-configuration-metadata.json")) {
                    Path p = dir.resolve(f);
                    if (Files.exists(p)) {
                        metadata.add(Files.readAllBytes(p));
                    }
                }
            }
            try (Stream<Path> libs = Files.list(app.resolve("BOOT-INF/lib"))) {
                for (Path lib : libs.toList()) {
                    urls.add(lib.toUri().toURL());
                    try (ZipFile zip = new ZipFile(lib.toFile())) {
                        for (String f : List.of("META-INF/spring-configuration-metadata.json",
                                "META-INF/additional-spring-configuration-metadata.json")) {
                            ZipEntry entry = zip.getEntry(f);
                            if (entry != null) {
                                try (InputStream in = zip.getInputStream(entry)) {
                                    metadata.add(in.readAllBytes());
                                }
                            }
                        }
                    }
                }
            }
            for (byte[] m : metadata) {
                for (JsonNode p : json.readTree(m).path("properties")) {
                    String name = p.path("name").asText();
                    names.add(name);
                    Matcher map = Pattern.compile("^java\\.util\\.Map<java\\.lang\\.String,\\s*(.+)>$").matcher(p.path("type").asText());
                    if (map.matches()) {
                        maps.put(name, map.group(1));
                    }
                }
            }
            return new Properties(names, maps, new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()));
        }

        List<String> unknown(List<String> settings) {
            return settings.stream().filter(s -> !known(s)).toList();
        }

        boolean known(String name) {
            if (names.contains(name)) {
                return true;
            }
            for (Map.Entry<String, String> map : maps.entrySet()) {
                if (!name.startsWith(map.getKey() + ".")) {
                    continue;
                }
                String[] keyAndField = name.substring(map.getKey().length() + 1).split("\\.", 2);
                if (keyAndField.length < 2) {
                    return true; // a value of a map of simple values
                }
                return fields(map.getValue()).contains(keyAndField[1]);
            }
            return false;
        }

        /** The kebab-case property names of a record or simple type used as a map's values. */
        Set<String> fields(String type) {
            try {
                Class<?> c = Class.forName(type, false, classes);
                RecordComponent[] components = c.getRecordComponents();
                Set<String> fields = new LinkedHashSet<>();
                if (components != null) {
                    for (RecordComponent rc : components) {
                        fields.add(rc.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
                    }
                }
                return fields;
            }
            catch (ClassNotFoundException e) {
                throw new AssertionError("the map value type " + type + " is not in the image", e);
            }
        }
    }

    /** {@code BOOT-INF/layers.idx} of a service's jar: its layer names, in order. */
    static List<String> layers(String service) throws IOException {
        List<String> layers = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Helm.REPO.resolve(ImageLayout.jar(service))))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (e.getName().equals("BOOT-INF/layers.idx")) {
                    for (String line : new String(zip.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        Matcher m = Pattern.compile("^- \"(.+)\":$").matcher(line);
                        if (m.matches()) {
                            layers.add(m.group(1));
                        }
                    }
                }
            }
        }
        assertThat(layers).as("%s has BOOT-INF/layers.idx", service).isNotEmpty();
        return layers;
    }

    static boolean isP2plab(Map<String, Object> workload) {
        String image = HelmChartTest.image(workload);
        return SERVICES.stream().anyMatch(s -> image.contains("/" + s + ":"));
    }
}
