package org.p2plab.support.metrics;

import io.prometheus.metrics.tracer.common.SpanContext;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * No Prometheus exemplars unless {@code p2plab.metrics.exemplars=true}.
 *
 * <p>With Micrometer Tracing on the classpath, Boot links every histogram and counter sample
 * to the current trace as an OpenMetrics exemplar, also on {@code _count} series. The
 * Prometheus the lab runs (Debian's 2.42) rejects the whole scrape when it sees an exemplar
 * on a {@code _count} series ("does not support exemplars"), and every target shows as down.
 * The dashboards do not use exemplars. So by default this provides a {@link SpanContext} that
 * names no span. Boot's exemplar configuration backs off when such a bean exists, and no
 * exemplars are written.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration")
@ConditionalOnClass(SpanContext.class)
@ConditionalOnProperty(name = "p2plab.metrics.exemplars", havingValue = "false", matchIfMissing = true)
public class NoExemplarsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SpanContext noExemplarsSpanContext() {
        return new SpanContext() {
            @Override
            public String getCurrentTraceId() {
                return null;
            }

            @Override
            public String getCurrentSpanId() {
                return null;
            }

            @Override
            public boolean isCurrentSpanSampled() {
                return false;
            }

            @Override
            public void markCurrentSpanAsExemplar() {
                // nothing is an exemplar
            }
        };
    }
}
