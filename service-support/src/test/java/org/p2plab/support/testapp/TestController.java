package org.p2plab.support.testapp;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.http.PeerRejectedException;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** User-API endpoints that exercise every kind of bad input. */
@RestController
public class TestController {

    private final Validator validator;

    public TestController(Validator validator) {
        this.validator = validator;
    }

    public enum Mode { FAST, SAFE }

    public record Item(@NotBlank String name, @Min(1) @Max(10) int size) {
    }

    @GetMapping("/echo/{word}")
    public Map<String, Object> echo(@PathVariable String word) {
        return Map.of("word", word);
    }

    @GetMapping("/numbers/{n}")
    public Map<String, Object> number(@PathVariable int n) {
        return Map.of("n", n);
    }

    @GetMapping("/search")
    public Map<String, Object> search(@RequestParam String q, @RequestParam(defaultValue = "10") int limit,
                                      @RequestParam(defaultValue = "FAST") Mode mode) {
        return Map.of("q", q, "limit", limit, "mode", mode);
    }

    @GetMapping("/bounded")
    public Map<String, Object> bounded(@RequestParam @Min(1) @Max(10) int size) {
        return Map.of("size", size);
    }

    @PostMapping(path = "/items", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Item create(@Valid @RequestBody Item item) {
        return item;
    }

    @PostMapping(path = "/text", consumes = MediaType.TEXT_PLAIN_VALUE)
    public Map<String, Object> text(@RequestBody String body) {
        return Map.of("length", body.length());
    }

    @GetMapping(path = "/items/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Item item(@PathVariable String id) {
        return new Item(id, 1);
    }

    @PostMapping(path = "/upload", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Map<String, Object> upload(@RequestPart("file") MultipartFile file) {
        return Map.of("size", file.getSize());
    }

    @GetMapping("/thread")
    public Map<String, Object> thread() {
        Thread t = Thread.currentThread();
        return Map.of("virtual", t.isVirtual(), "name", t.toString());
    }

    @GetMapping("/peer/protocol")
    public Map<String, Object> protocol(jakarta.servlet.http.HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return Map.of("protocol", request.getProtocol(), "upgrade", upgrade == null ? "none" : upgrade);
    }

    @GetMapping("/boom")
    public String boom() {
        throw new IllegalStateException("secret internal state: db password is hunter2");
    }

    @GetMapping("/peer-down")
    public String peerDown() {
        throw new PeerUnavailableException("http://127.0.0.1:9", "connection refused");
    }

    @GetMapping("/bad-argument")
    public String badArgument() {
        throw new IllegalArgumentException("key must be 40 hex digits");
    }

    @GetMapping("/no-route")
    public String noRoute() {
        throw ProblemException.serviceUnavailable("no-live-successor",
                "Every successor in the list is down; stabilization will repair the ring.", 5)
                .with("successors", 0);
    }

    @GetMapping("/keys/{key}")
    public String key(@PathVariable String key) {
        throw ProblemException.notFound("no-such-key", "No value is stored under key " + key + ".")
                .with("key", key);
    }

    @ResponseStatus(code = HttpStatus.CONFLICT, reason = "This node is already a member of the group.")
    static class AlreadyMemberException extends RuntimeException {
    }

    @GetMapping("/join")
    public String join() {
        throw new AlreadyMemberException();
    }

    @GetMapping("/fan-out")
    public String fanOut() {
        return CompletableFuture.<String>supplyAsync(() -> {
            throw new PeerUnavailableException("http://127.0.0.1:7", "read timed out");
        }).join();
    }

    @GetMapping("/service-validation")
    public String serviceValidation() {
        throw new ConstraintViolationException(validator.validate(new Item("", 0)));
    }

    @GetMapping("/peer-rejects")
    public String peerRejects() {
        ProblemDetail peerProblem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "key too long");
        peerProblem.setType(java.net.URI.create("urn:p2plab:problem:bad-request"));
        throw new PeerRejectedException("http://127.0.0.1:8", HttpStatus.BAD_REQUEST, peerProblem, null);
    }

    @GetMapping("/send-error")
    public void sendError(HttpServletResponse response) throws IOException {
        response.sendError(409, "This node has already joined a ring.");
    }
}
