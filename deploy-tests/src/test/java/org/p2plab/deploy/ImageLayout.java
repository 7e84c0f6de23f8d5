package org.p2plab.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.ObjectMapper;

/**
 * The shared {@code Dockerfile}, read and carried out without a container engine: what each
 * instruction does to the file system of its stage is emulated in a directory per stage (RUN
 * runs on this machine, with this JVM's {@code java} first on the PATH), so that the image's
 * layout and entrypoint can be started and probed like the container would be. The JRE base
 * itself is not fetched: this machine's JDK stands in for it.
 */
final class ImageLayout {

    static final Path DOCKERFILE = Helm.REPO.resolve("Dockerfile");

    /** One instruction: its keyword (upper case) and its arguments, continuation lines joined. */
    record Instruction(String keyword, String arguments) {
    }

    /** A build stage: {@code FROM <image> [AS <name>]} and what follows it. */
    record Stage(String name, String from, List<Instruction> instructions) {
    }

    /** What a built image is: its working directory's contents on disk, its entrypoint, env and user. */
    record Image(Path workdir, List<String> entrypoint, Map<String, String> env, String user) {

        /** The container's command line: the entrypoint (with this JVM as {@code java}) and the args. */
        List<String> command(List<String> args) {
            List<String> command = new ArrayList<>(entrypoint);
            if (command.get(0).equals("java")) {
                command.set(0, javaHome().resolve("bin/java").toString());
            }
            command.addAll(args);
            return command;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    final Map<String, String> globalArgs = new LinkedHashMap<>();
    final List<Stage> stages = new ArrayList<>();

    private ImageLayout() {
    }

    static ImageLayout read() {
        try {
            return parse(Files.readString(DOCKERFILE));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ImageLayout parse(String dockerfile) {
        ImageLayout layout = new ImageLayout();
        List<Instruction> current = null;
        for (Instruction i : instructions(dockerfile)) {
            switch (i.keyword()) {
                case "FROM" -> {
                    String[] words = i.arguments().split("\\s+");
                    String name = words.length == 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
                    current = new ArrayList<>();
                    layout.stages.add(new Stage(name, words[0], current));
                }
                case "ARG" -> {
                    if (current == null) {
                        String[] kv = i.arguments().split("=", 2);
                        layout.globalArgs.put(kv[0], kv.length == 2 ? kv[1] : null);
                    }
                    else {
                        current.add(i);
                    }
                }
                default -> {
                    if (current == null) {
                        throw new IllegalArgumentException(i.keyword() + " before the first FROM");
                    }
                    current.add(i);
                }
            }
        }
        return layout;
    }

    /** The instructions: comments and parser directives dropped, {@code \} continuations joined. */
    static List<Instruction> instructions(String dockerfile) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && logical.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            logical.append(trimmed);
            String text = logical.toString().strip();
            logical.setLength(0);
            if (text.isEmpty()) {
                continue;
            }
            String[] parts = text.split("\\s+", 2);
            result.add(new Instruction(parts[0].toUpperCase(), parts.length == 2 ? parts[1].strip() : ""));
        }
        return result;
    }

    /** A FROM image with the global ARGs substituted. */
    String resolvedFrom(Stage stage) {
        return substitute(stage.from(), globalArgs);
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    /**
     * Carries out every stage for one service, each in its own directory under {@code root}, with
     * the repository as the build context and {@code buildArgs} as {@code --build-arg}s.
     */
    Image build(Map<String, String> buildArgs, Path root) throws IOException, InterruptedException {
        Image image = null;
        Map<String, Path> stageRoots = new LinkedHashMap<>();
        for (int s = 0; s < stages.size(); s++) {
            Stage stage = stages.get(s);
            Path fs = Files.createDirectories(root.resolve("stage-" + s));
            stageRoots.put(stage.name() == null ? String.valueOf(s) : stage.name(), fs);
            Map<String, String> vars = new LinkedHashMap<>();
            String workdir = "/";
            Map<String, String> env = new LinkedHashMap<>();
            String user = "root";
            List<String> entrypoint = List.of();
            for (Instruction i : stage.instructions()) {
                switch (i.keyword()) {
                    case "ARG" -> {
                        String[] kv = i.arguments().split("=", 2);
                        String value = buildArgs.containsKey(kv[0]) ? buildArgs.get(kv[0])
                                : kv.length == 2 ? substitute(kv[1], vars) : globalArgs.get(kv[0]);
                        vars.put(kv[0], value == null ? "" : value);
                    }
                    case "WORKDIR" -> {
                        workdir = absolute(workdir, substitute(i.arguments(), vars));
                        Files.createDirectories(inside(fs, workdir));
                    }
                    case "COPY" -> copy(i.arguments(), vars, fs, workdir, stageRoots);
                    case "RUN" -> run(substitute(i.arguments(), vars), inside(fs, workdir));
                    case "ENV" -> env.putAll(keyValues(substitute(i.arguments(), vars)));
                    case "USER" -> user = substitute(i.arguments(), vars);
                    case "ENTRYPOINT" -> entrypoint = List.of(new ObjectMapper().readValue(i.arguments(), String[].class));
                    case "LABEL", "EXPOSE", "SHELL", "STOPSIGNAL" -> {
                        // metadata only
                    }
                    default -> throw new IllegalArgumentException("not emulated: " + i.keyword() + " " + i.arguments());
                }
            }
            image = new Image(inside(fs, workdir), entrypoint, env, user);
        }
        return image;
    }

    /** {@code RUN}: the command stands for the base image's tools, of which only {@code java} is assumed. */
    private static void run(String command, Path dir) throws IOException, InterruptedException {
        if (command.contains("groupadd") || command.contains("useradd")) {
            return; // user accounts of the base image: the test checks the uid against the chart instead
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", javaHome().resolve("bin") + ":" + pb.environment().getOrDefault("PATH", ""));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("RUN " + command + " failed:\n" + out);
        }
    }

    /** {@code COPY [--from=stage] [--chown=..] src... dest}. */
    private static void copy(String arguments, Map<String, String> vars, Path fs, String workdir,
            Map<String, Path> stageRoots) throws IOException {
        List<String> words = new ArrayList<>(List.of(substitute(arguments, vars).split("\\s+")));
        Path from = Helm.REPO;
        boolean fromStage = false;
        while (words.get(0).startsWith("--")) {
            String flag = words.remove(0);
            if (flag.startsWith("--from=")) {
                from = stageRoots.get(flag.substring("--from=".length()));
                fromStage = true;
                if (from == null) {
                    throw new IllegalArgumentException("COPY from an unknown stage: " + flag);
                }
            }
        }
        String dest = words.remove(words.size() - 1);
        for (String src : words) {
            Path source = fromStage ? inside(from, src) : from.resolve(src);
            if (!Files.exists(source)) {
                throw new AssertionError("COPY source missing: " + src);
            }
            Path target = inside(fs, absolute(workdir, dest));
            if (Files.isDirectory(source)) {
                copyTree(source, target); // a directory's contents, merged into dest
            }
            else if (dest.endsWith("/")) {
                Files.createDirectories(target);
                Files.copy(source, target.resolve(source.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            else {
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path t = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                }
                else {
                    Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static Map<String, String> keyValues(String arguments) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"([^\"]*)\"|(\\S*))").matcher(arguments);
        while (m.find()) {
            result.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
        }
        return result;
    }

    private static String absolute(String workdir, String path) {
        return path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
    }

    private static Path inside(Path fs, String absolute) {
        return fs.resolve(absolute.replaceFirst("^/+", "")).normalize();
    }

    static String substitute(String text, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(name, m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Path javaHome() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent().getParent();
    }

    /** The packaged jar of a service, relative to the repository (the build context). */
    static String jar(String service) {
        try (Stream<Path> files = Files.list(Helm.REPO.resolve(service).resolve("target"))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(service + "-[0-9].*\\.jar") && !n.matches(".*-(sources|javadoc|tests)\\.jar"))
                    .findFirst().map(n -> service + "/target/" + n)
                    .orElseThrow(() -> new AssertionError("no packaged " + service + " jar: run ./mvnw package"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
