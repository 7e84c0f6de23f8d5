package org.p2plab.support.env;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * The p2plab defaults every service starts with, added to Spring Boot's {@code defaultProperties}
 * — the property source with the LOWEST precedence — so a service's {@code application.yaml},
 * environment variables, {@code --arguments} and test properties all override them. Keys a
 * service already put into {@code SpringApplication.setDefaultProperties} are left alone too.
 * Registered in {@code META-INF/spring.factories}.
 */
public class P2pDefaultProperties implements EnvironmentPostProcessor, Ordered {

    /** The defaults, in the order they are documented. */
    public static final Map<String, Object> DEFAULTS = defaults();

    private static Map<String, Object> defaults() {
        Map<String, Object> d = new LinkedHashMap<>();
        // blocking peer calls are fine: each request runs on its own virtual thread
        d.put("spring.threads.virtual.enabled", "true");
        // Swagger UI "Try it out" and redirects work behind the gateway (X-Forwarded-*)
        d.put("server.forward-headers-strategy", "framework");
        // RFC 9457 everywhere (service-support's handler replaces Boot's; kept for services that opt out)
        d.put("spring.mvc.problemdetails.enabled", "true");
        d.put("management.endpoints.web.exposure.include", "health,info,prometheus,metrics");
        d.put("management.endpoint.health.probes.enabled", "true");
        d.put("management.endpoint.health.show-details", "always");
        d.put("spring.jpa.open-in-view", "false");
        // initialise MVC at startup, not on the first request: a peer's first call must not time out
        d.put("spring.mvc.servlet.load-on-startup", "1");
        d.put("server.shutdown", "graceful");
        // after a 413, Tomcat reads and drops at most this much of the unread body, then closes the
        // connection (-1 would let a client stream forever; 0 would reset clients mid-upload)
        d.put("server.tomcat.max-swallow-size", "2MB");
        // multipart limits follow p2plab.http.max-request-size (Boot alone: 1MB per file, 10MB per request)
        d.put("spring.servlet.multipart.max-file-size", "${p2plab.http.max-request-size:16MB}");
        d.put("spring.servlet.multipart.max-request-size", "${p2plab.http.max-request-size:16MB}");
        // operations are tagged "user API" / "peer API" by path, not by controller class name
        d.put("springdoc.auto-tag-classes", "false");
        // tracing is off unless asked for: no spans, no traceparent on peer calls (README "Tracing")
        d.put("management.tracing.export.enabled", "false");
        d.put("management.tracing.sampling.probability", "1.0");
        // responses are JSON, and the spec should say so rather than "*/*"
        d.put("springdoc.default-produces-media-type", "application/json");
        return java.util.Collections.unmodifiableMap(d);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        PropertySource<?> existing = environment.getPropertySources().get(DefaultPropertiesPropertySource.NAME);
        Map<String, Object> toAdd = new LinkedHashMap<>();
        DEFAULTS.forEach((key, value) -> {
            if (existing == null || !existing.containsProperty(key)) {
                toAdd.put(key, value);
            }
        });
        DefaultPropertiesPropertySource.addOrMerge(toAdd, environment.getPropertySources());
    }

    /** After config data (application.yaml) is loaded; order does not matter for precedence. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
