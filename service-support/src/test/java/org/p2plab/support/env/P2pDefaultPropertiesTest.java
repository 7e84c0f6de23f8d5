package org.p2plab.support.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;

class P2pDefaultPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    @Test
    void defaultsApplyThroughSpringFactoriesAndArgumentsOverrideThem() {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Empty.class)
                .web(WebApplicationType.NONE)
                .properties("server.shutdown=immediate") // a service's own SpringApplication default properties
                .run("--spring.jpa.open-in-view=true", "--p2plab.http.max-request-size=1MB")) {
            ConfigurableEnvironment env = context.getEnvironment();
            assertThat(env.getProperty("spring.threads.virtual.enabled")).isEqualTo("true");
            assertThat(env.getProperty("server.forward-headers-strategy")).isEqualTo("framework");
            assertThat(env.getProperty("spring.mvc.problemdetails.enabled")).isEqualTo("true");
            assertThat(env.getProperty("management.endpoints.web.exposure.include"))
                    .isEqualTo("health,info,prometheus,metrics");
            assertThat(env.getProperty("management.endpoint.health.probes.enabled")).isEqualTo("true");
            assertThat(env.getProperty("server.tomcat.max-swallow-size")).isEqualTo("2MB");
            assertThat(env.getProperty("spring.jpa.open-in-view")).isEqualTo("true");
            assertThat(env.getProperty("server.shutdown")).isEqualTo("immediate");
            // derived from p2plab.http.max-request-size (max-file-size is pinned by the test application.properties)
            assertThat(env.getProperty("spring.servlet.multipart.max-request-size")).isEqualTo("1MB");
        }
    }

    @Test
    void defaultsGoToTheLowestPrecedenceSource() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("app",
                Map.of("server.shutdown", "immediate")));
        new P2pDefaultProperties().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getPropertySources().stream().reduce((a, b) -> b).orElseThrow().getName())
                .isEqualTo("defaultProperties");
        assertThat(env.getProperty("server.shutdown")).isEqualTo("immediate");
        assertThat(env.getProperty("spring.jpa.open-in-view")).isEqualTo("false");
    }
}
