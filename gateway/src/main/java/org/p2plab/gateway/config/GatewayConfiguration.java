package org.p2plab.gateway.config;

import java.net.http.HttpClient;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.p2plab.gateway.route.ForwardedPrefix;
import org.p2plab.gateway.route.GatewayMetrics;
import org.p2plab.gateway.route.UpstreamProxy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter.RequestHttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter.ResponseHttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.TrustedProxies;
import org.springframework.cloud.gateway.server.mvc.filter.XForwardedRequestHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.XForwardedRequestHeadersFilterProperties;
import org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The gateway's wiring: the proxy client with the p2plab timeouts, and the routes, built in Java
 * from {@link GatewayProperties} (two per enabled system: {@code <prefix>/nodes/{i}/**} when the
 * system has node URLs, then {@code <prefix>/**}).
 */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    /**
     * Replaces the gateway's default {@code RestClientProxyExchange} (same class) so that every
     * upstream call uses {@code p2plab.gateway.connect-timeout} / {@code read-timeout}: the JDK
     * {@link HttpClient}, HTTP/1.1 (Tomcat does not upgrade h2c), redirects passed through to the
     * client, on Boot's {@link RestClient.Builder} (so {@code http.client.requests} is observed).
     */
    @Bean
    public ProxyExchange gatewayProxyExchange(RestClient.Builder builder, GatewayMvcProperties gatewayMvc,
                                              GatewayProperties properties) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.readTimeout());
        return new RestClientProxyExchange(builder.requestFactory(factory).build(), gatewayMvc);
    }

    @Bean
    public GatewayMetrics gatewayMetrics(ObjectProvider<MeterRegistry> registry) {
        return new GatewayMetrics(registry.getIfUnique(SimpleMeterRegistry::new));
    }

    @Bean
    public ForwardedPrefix forwardedPrefix(ObjectProvider<XForwardedRequestHeadersFilter> xForwardedFilter,
                                           XForwardedRequestHeadersFilterProperties xForwarded,
                                           GatewayMvcProperties gatewayMvc) {
        String trusted = gatewayMvc.getTrustedProxies();
        return new ForwardedPrefix(xForwardedFilter.getIfAvailable() != null && xForwarded.isPrefixEnabled(),
                StringUtils.hasText(trusted) ? TrustedProxies.from(trusted) : null);
    }

    @Bean
    public UpstreamProxy upstreamProxy(ProxyExchange proxyExchange,
                                       ObjectProvider<RequestHttpHeadersFilter> requestFilters,
                                       ObjectProvider<ResponseHttpHeadersFilter> responseFilters,
                                       ForwardedPrefix forwardedPrefix, GatewayMetrics metrics) {
        return new UpstreamProxy(proxyExchange, requestFilters.orderedStream().toList(),
                responseFilters.orderedStream().toList(), forwardedPrefix, metrics);
    }

    /** Every enabled system's routes; node routes first, so {@code /chord/nodes/1/...} is not sent to the service URL. */
    @Bean
    public RouterFunction<ServerResponse> p2plabRoutes(GatewayProperties properties, UpstreamProxy proxy) {
        RouterFunction<ServerResponse> routes = request -> Optional.empty();
        for (UpstreamSystem system : properties.enabledSystems()) {
            if (system.hasNodeRoutes()) {
                routes = routes.and(GatewayRouterFunctions.route(UpstreamProxy.nodeRouteId(system))
                        .route(RequestPredicates.path(system.prefix() + "/nodes/{i}/**"), proxy.toNode(system))
                        .build());
            }
            routes = routes.and(GatewayRouterFunctions.route(UpstreamProxy.routeId(system))
                    .route(RequestPredicates.path(system.prefix() + "/**"), proxy.toService(system))
                    .build());
        }
        return routes;
    }
}
