package org.p2plab.support.testapp;

import java.util.Map;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A peer-API endpoint and an explicitly tagged one, for the OpenAPI tags. */
@RestController
public class PeerController {

    @GetMapping("/peer/ping")
    public Map<String, Object> ping() {
        return Map.of("pong", true);
    }

    @GetMapping("/peer/fail")
    public Map<String, Object> fail() {
        throw new IllegalStateException("peer-side bug");
    }

    @Tag(name = "admin")
    @GetMapping("/admin/status")
    public Map<String, Object> status() {
        return Map.of("ok", true);
    }
}
