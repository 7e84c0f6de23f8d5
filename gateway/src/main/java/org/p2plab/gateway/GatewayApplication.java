package org.p2plab.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The p2plab gateway: {@code /<system>/**} to each system's service with the prefix stripped,
 * {@code /<system>/nodes/{i}/**} to single nodes, the aggregated Swagger UI at
 * {@code /swagger-ui.html} and an index of the systems at {@code GET /}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
