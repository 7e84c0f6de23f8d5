package org.p2plab.gateway.config;

import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
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
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
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
     * The upstream client: Apache HttpClient 5 (classic, blocking I/O on the request's virtual
     * thread) over a pool of keep-alive connections, with {@code p2plab.gateway.connect-timeout}
     * and {@code read-timeout}. Bytes pass through untouched (no content decompression), redirects
     * and cookies go back to the client, and the client itself never retries: {@link UpstreamProxy}
     * decides. Stale pooled connections are checked before reuse after 2 s idle and evicted after
     * 30 s, before Tomcat's keep-alive timeout closes them from the other side.
     * <p>Why not the JDK {@code HttpClient} (the gateway's default): it hands every request to
     * its selector thread and back, which cost about 1 ms and a third of the throughput per
     * proxied request on 2 cores (measured, BENCHMARKS.md).
     */
    @Bean(destroyMethod = "close")
    public CloseableHttpClient gatewayHttpClient(GatewayProperties properties) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(1024)
                .setMaxConnPerRoute(512)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                        .setSocketTimeout(Timeout.of(properties.readTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        return HttpClients.custom()
                .setConnectionManager(pool)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.of(properties.readTimeout()))
                        .setRedirectsEnabled(false)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .evictExpiredConnections()
                .build();
    }

    /** Replaces the gateway's default {@code RestClientProxyExchange} (same class) to use {@link #gatewayHttpClient}. */
    @Bean
    public ProxyExchange gatewayProxyExchange(CloseableHttpClient gatewayHttpClient, GatewayMvcProperties gatewayMvc) {
        // a plain RestClient: the gateway.requests timer covers each proxied request, so no
        // second (http.client.requests) observation per request
        RestClient client = RestClient.builder()
                .requestFactory(new HttpComponentsClientHttpRequestFactory(gatewayHttpClient))
                .build();
        return new RestClientProxyExchange(client, gatewayMvc);
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
