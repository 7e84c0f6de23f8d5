package org.p2plab.anycast.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.p2plab.anycast.config.AnycastService;
import org.p2plab.anycast.protocol.PushDaemon;
import org.p2plab.anycast.protocol.ServerLoad;
import org.p2plab.anycast.transport.PeerDtos.ProbeFile;
import org.p2plab.anycast.web.AnycastViews.ServerSettings;
import org.p2plab.anycast.web.AnycastViews.ServerView;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The content server: a replicated web server whose every request (content or probe) goes
 * through the server-response cycle the push daemon measures. The TUFR of a request is the time
 * from its arrival to the moment its response is ready to be written: the artificial delay
 * (grown by the load factor) and reading the file.
 */
@RestController
@Tag(name = "content server", description = "The replicated web server, its probe file and its teaching knobs")
public class ContentController {

    private final AnycastService anycast;

    public ContentController(AnycastService anycast) {
        this.anycast = anycast;
    }

    @GetMapping("/content/{*path}")
    @Operation(summary = "A file of the replicated content (GET /content/ is index.html)")
    public ResponseEntity<byte[]> content(@PathVariable String path) {
        PushDaemon daemon = anycast.daemon();
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty() || relative.endsWith("/")) {
            relative += "index.html";
        }
        String name = relative;
        byte[] body = served(daemon, () -> read(name));
        MediaType type = MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM);
        return ResponseEntity.ok().contentType(type).header("X-Anycast-Server", anycast.selfUrl()).body(body);
    }

    @GetMapping(value = "/probe", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The probe file: the server's latest smoothed TUFR (resolvers time fetching it: RT)")
    public ProbeFile probe() {
        PushDaemon daemon = anycast.daemon();
        served(daemon, () -> Boolean.TRUE);
        // written after this request's own TUFR is folded in: the RT a resolver measures and the TUFR it reads belong together
        return new ProbeFile(daemon.tufr().orElse(0), anycast.selfUrl(), daemon.params().group().toString());
    }

    /** Runs one request through the server-response cycle and measures its TUFR. */
    private <T> T served(PushDaemon daemon, Supplier<T> respond) {
        ServerLoad load = anycast.load();
        long start = System.nanoTime();
        Duration delay = load.enter();
        try {
            if (!delay.isZero()) {
                Thread.sleep(delay); // the teaching knob: extra processing time, on this request's virtual thread
            }
            T body = respond.get();
            daemon.observe((System.nanoTime() - start) / 1e6);
            return body;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.serviceUnavailable("stopping", "the server is stopping", 1);
        }
        finally {
            load.exit();
        }
    }

    private byte[] read(String relative) {
        String dir = anycast.properties().contentDir();
        if (dir == null || dir.isBlank()) {
            if (!relative.equals("index.html")) {
                throw ProblemException.notFound("no-such-file", "no file " + Requests.abbreviate(relative)
                        + " here: this server has no p2plab.anycast.content-dir and serves only its generated index.html");
            }
            return generatedIndex().getBytes(StandardCharsets.UTF_8);
        }
        Path root = Path.of(dir).toAbsolutePath().normalize();
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            throw ProblemException.notFound("no-such-file", "no file " + Requests.abbreviate(relative) + " in the content");
        }
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String generatedIndex() {
        PushDaemon.Params p = anycast.daemon().params();
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>" + HtmlUtils.htmlEscape(p.group().toString())
                + "</title></head>\n<body><h1>" + HtmlUtils.htmlEscape(p.group().toString()) + "</h1>\n<p>Served by replica "
                + HtmlUtils.htmlEscape(p.serverUrl()) + ".</p></body></html>\n";
    }

    @GetMapping("/server")
    @Operation(summary = "This content server: its group, resolver, knobs and push daemon")
    public ServerView server() {
        PushDaemon daemon = anycast.daemon();
        ServerLoad load = anycast.load();
        PushDaemon.Status s = daemon.status();
        return new ServerView(daemon.params().serverUrl(), daemon.params().group().toString(), daemon.params().resolver(),
                load.settings().artificialDelay().toMillis(), load.settings().loadFactor(), load.inFlight(),
                daemon.tufr().isPresent() ? daemon.tufr().getAsDouble() : null, s.registered(), s.memberId(), s.registrations(),
                s.pushes(), s.failedPushes(), s.lastPushedMillis().isPresent() ? s.lastPushedMillis().getAsDouble() : null,
                s.lastPush(), s.lastError());
    }

    @PutMapping("/server")
    @Operation(summary = "Change the artificial delay and load factor while the server runs (the TUFR follows, then the pushes)")
    public ServerView settings(@RequestBody ServerSettings body) {
        ServerLoad load = anycast.load();
        ServerLoad.Settings now = load.settings();
        try {
            load.settings(new ServerLoad.Settings(
                    body == null || body.artificialDelayMillis() == null ? now.artificialDelay() : Duration.ofMillis(body.artificialDelayMillis()),
                    body == null || body.loadFactor() == null ? now.loadFactor() : body.loadFactor()));
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-parameter", e.getMessage());
        }
        return server();
    }
}
