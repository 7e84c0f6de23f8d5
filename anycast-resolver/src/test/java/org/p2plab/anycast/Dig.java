package org.p2plab.anycast;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code dig}, as an unmodified application's DNS lookup. A test using it is skipped
 * without dig, unless P2PLAB_REQUIRE_DIG is set (CI installs it and sets it).
 */
public final class Dig {

    private final String path;

    private Dig(String path) {
        this.path = path;
    }

    /** dig, or the test is aborted (failed if P2PLAB_REQUIRE_DIG is set). */
    public static Dig required() {
        String dig = Stream.of("/usr/bin/dig", "/usr/local/bin/dig").filter(p -> new File(p).canExecute()).findFirst().orElse(null);
        if (dig == null) {
            assertThat(System.getenv("P2PLAB_REQUIRE_DIG")).as("dig is required here (apt-get install bind9-dnsutils)").isNull();
            Assumptions.abort("dig is not installed (apt-get install bind9-dnsutils)");
        }
        return new Dig(dig);
    }

    /** {@code dig @127.0.0.1 -p port +time=2 +tries=1 options... name type}, its output stripped. */
    public String ask(int port, String name, String type, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(path, "@127.0.0.1", "-p", Integer.toString(port), "+time=2", "+tries=1"));
        command.addAll(List.of(options));
        command.add(name);
        command.add(type);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("dig finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }
}
