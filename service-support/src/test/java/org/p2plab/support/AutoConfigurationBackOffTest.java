package org.p2plab.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.prometheus.metrics.tracer.common.SpanContext;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.junit.jupiter.api.Test;
import org.p2plab.support.http.PeerHttpAutoConfiguration;
import org.p2plab.support.metrics.NoExemplarsAutoConfiguration;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.metrics.P2pMetricsAutoConfiguration;
import org.p2plab.support.openapi.P2pOpenApiAutoConfiguration;
import org.p2plab.support.problem.ProblemAutoConfiguration;
import org.p2plab.support.problem.ProblemErrorController;
import org.p2plab.support.problem.ProblemExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** A service can replace each piece; without overrides, every piece is there. */
class AutoConfigurationBackOffTest {

    @ControllerAdvice
    static class ServiceOwnHandler extends ResponseEntityExceptionHandler {
    }

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ProblemAutoConfiguration.class));

    @Test
    void problemHandlerBacksOffForAServiceOwnResponseEntityExceptionHandler() {
        web.run(context -> assertThat(context).hasSingleBean(ProblemExceptionHandler.class)
                .hasSingleBean(ProblemErrorController.class));
        web.withBean(ServiceOwnHandler.class).run(context -> assertThat(context)
                .doesNotHaveBean(ProblemExceptionHandler.class)
                .hasSingleBean(ResponseEntityExceptionHandler.class)
                .hasSingleBean(ProblemErrorController.class));
    }

    @Test
    void problemPartsNeedAServletApplication() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ProblemAutoConfiguration.class))
                .run(context -> assertThat(context).doesNotHaveBean(ProblemExceptionHandler.class));
    }

    @Test
    void serviceOpenApiBeanWins() {
        OpenAPI own = new OpenAPI().info(new Info().title("mine"));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(P2pOpenApiAutoConfiguration.class))
                .withBean(OpenAPI.class, () -> own)
                .run(context -> assertThat(context.getBean(OpenAPI.class)).isSameAs(own));
    }

    @Test
    void p2pMetricsWorksWithoutARegistry() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(P2pMetricsAutoConfiguration.class))
                .run(context -> assertThat(context).hasSingleBean(P2pMetrics.class));
    }

    @Test
    void peerRestClientIsBuiltAndReplaceable() {
        ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
                AutoConfigurations.of(RestClientAutoConfiguration.class, PeerHttpAutoConfiguration.class));
        runner.run(context -> assertThat(context).hasBean(PeerHttpAutoConfiguration.PEER_REST_CLIENT));
        RestClient own = RestClient.create();
        runner.withBean(PeerHttpAutoConfiguration.PEER_REST_CLIENT, RestClient.class, () -> own)
                .run(context -> assertThat(context.getBean(PeerHttpAutoConfiguration.PEER_REST_CLIENT)).isSameAs(own));
    }

    @Test
    void noExemplarsUnlessAskedForAndAServiceOwnSpanContextWins() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(NoExemplarsAutoConfiguration.class));
        runner.run(context -> {
            SpanContext spans = context.getBean(SpanContext.class);
            assertThat(spans.getCurrentTraceId()).isNull();
            assertThat(spans.isCurrentSpanSampled()).isFalse();
        });
        runner.withPropertyValues("p2plab.metrics.exemplars=true")
                .run(context -> assertThat(context).doesNotHaveBean(SpanContext.class));
        SpanContext own = mock(SpanContext.class);
        runner.withBean(SpanContext.class, () -> own).run(context -> assertThat(context.getBean(SpanContext.class)).isSameAs(own));
    }

    @Test
    void everyAutoConfigurationIsRegistered() throws IOException {
        try (InputStream in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines())
                    .containsExactlyInAnyOrder(ProblemAutoConfiguration.class.getName(),
                            P2pMetricsAutoConfiguration.class.getName(), PeerHttpAutoConfiguration.class.getName(),
                            P2pOpenApiAutoConfiguration.class.getName(), NoExemplarsAutoConfiguration.class.getName());
        }
    }
}
