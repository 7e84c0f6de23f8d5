package org.p2plab.gateway.route;

import org.springframework.cloud.gateway.server.mvc.filter.TrustedProxies;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * Decides whether a forwarded request carries {@code X-Forwarded-Prefix}. The gateway's
 * {@code XForwardedRequestHeadersFilter} writes X-Forwarded-For/Host/Port/Proto, but derives the
 * prefix from a copy of the request that our handler never makes (see {@link UpstreamProxy}), so
 * the prefix is added here, under the same rule as the other four: only when the X-Forwarded
 * filter is active (it is when {@code spring.cloud.gateway.server.webmvc.trusted-proxies} is set),
 * its prefix part is enabled, and the client's address matches {@code trusted-proxies}.
 * Otherwise the gateway's filters strip every X-Forwarded header, and so do we.
 *
 * @param active         the X-Forwarded filter exists and its prefix part is enabled
 * @param trustedProxies the {@code trusted-proxies} pattern, or null when unset
 */
public record ForwardedPrefix(boolean active, TrustedProxies trustedProxies) {

    public static final String HEADER = "X-Forwarded-Prefix";

    boolean applies(ServerRequest request) {
        if (!active || trustedProxies == null) {
            return false;
        }
        String remote = request.servletRequest().getRemoteAddr();
        return remote == null || trustedProxies.isTrusted(remote);
    }
}
