package org.p2plab.gateway.docs;

import java.util.LinkedHashSet;
import java.util.Set;

import org.p2plab.gateway.config.GatewayProperties;
import org.p2plab.gateway.config.UpstreamSystem;
import org.springdoc.core.properties.AbstractSwaggerUiConfigProperties.SwaggerUrl;
import org.springdoc.core.properties.SwaggerUiConfigProperties;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The aggregated Swagger UI: one entry per enabled system in {@code springdoc.swagger-ui.urls},
 * pointing at {@code <prefix>/v3/api-docs}, i.e. at the service's own document fetched THROUGH
 * the gateway. The gateway forwards with {@code X-Forwarded-Host/Port/Proto/Prefix}, and every
 * service honours them ({@code server.forward-headers-strategy=framework}), so the document's
 * {@code servers[0].url} is the gateway URL plus the prefix and "Try it out" goes through the
 * gateway too. Entries configured by hand in {@code springdoc.swagger-ui.urls} are kept.
 */
@Configuration(proxyBeanMethods = false)
public class SwaggerAggregation {

    /** Runs after all singletons exist, before the web server accepts requests. */
    @Bean
    public SmartInitializingSingleton p2plabSwaggerUrls(SwaggerUiConfigProperties swaggerUi, GatewayProperties properties) {
        return () -> {
            Set<SwaggerUrl> urls = new LinkedHashSet<>();
            for (UpstreamSystem system : properties.enabledSystems()) {
                urls.add(new SwaggerUrl(system.name(), system.docsPath(), system.title()));
            }
            if (swaggerUi.getUrls() != null) {
                urls.addAll(swaggerUi.getUrls()); // same name: ours wins (a Set keeps the first)
            }
            swaggerUi.setUrls(urls);
        };
    }
}
