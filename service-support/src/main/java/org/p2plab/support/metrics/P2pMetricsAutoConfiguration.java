package org.p2plab.support.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MeterRegistryCustomizer;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Common tags on every meter, and the {@link P2pMetrics} bean.
 *
 * <p>{@code application} = {@code spring.application.name}. {@code instance} = {@code p2plab.instance}
 * if set (the Helm chart sets the pod name), else {@code <host>:<server.port>} where host is
 * {@code $HOSTNAME} or the local host name, and the port is the configured one (8080 if unset);
 * with a random port ({@code server.port=0}) it is {@code <host>:pid<pid>}.
 */
@AutoConfiguration(after = {MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class})
public class P2pMetricsAutoConfiguration {

    public static final String APPLICATION_TAG = "application";
    public static final String INSTANCE_TAG = "instance";

    @Bean
    public MeterRegistryCustomizer<MeterRegistry> p2pCommonTags(Environment environment) {
        String application = applicationName(environment);
        String instance = instanceName(environment);
        return registry -> registry.config().commonTags(APPLICATION_TAG, application, INSTANCE_TAG, instance);
    }

    /**
     * The service's {@link P2pMetrics}. Without a registry (a test slice without metrics) the meters go
     * to a private {@link SimpleMeterRegistry}, so code recording metrics still runs.
     */
    @Bean
    @ConditionalOnMissingBean
    public P2pMetrics p2pMetrics(ObjectProvider<MeterRegistry> registry) {
        return new P2pMetrics(registry.getIfUnique(SimpleMeterRegistry::new));
    }

    static String applicationName(Environment environment) {
        return environment.getProperty("spring.application.name", "unnamed");
    }

    /** The {@code instance} tag value (see class doc). */
    public static String instanceName(Environment environment) {
        String configured = environment.getProperty("p2plab.instance");
        if (StringUtils.hasText(configured)) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (!StringUtils.hasText(host)) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            }
            catch (UnknownHostException | SecurityException e) {
                host = "localhost";
            }
        }
        int port = environment.getProperty("server.port", Integer.class, 8080);
        return port > 0 ? host + ":" + port : host + ":pid" + ProcessHandle.current().pid();
    }
}
