package org.p2plab.gateway.route;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.p2plab.gateway.config.UpstreamSystem;
import org.p2plab.support.problem.ProblemKinds;
import org.p2plab.support.problem.Problems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter.RequestHttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.filter.HttpHeadersFilter.ResponseHttpHeadersFilter;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.PathContainer;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The handler behind every system route: strips the route prefix, sends the request to the
 * upstream through Spring Cloud Gateway's {@link ProxyExchange} (with its request and response
 * header filters: hop-by-hop removal, {@code X-Forwarded-*} for trusted clients) and answers a
 * problem when the upstream gives no response.
 *
 * <p>Why not {@code HandlerFunctions.http()} with {@code BeforeFilterFunctions.stripPrefix}: the
 * stock handler rebuilds the query string from the decoded parameters (re-encoding it, and reading
 * a form body to do so), the stock strip-prefix tokenizes the path (collapsing {@code //}), and
 * every {@code ServerRequest.from(..)} copy parses the parameters, which consumes a form-encoded
 * POST body. Here the upstream URL is the upstream base + the raw path after the prefix + the raw
 * query, byte for byte, and the request is never copied.
 */
public class UpstreamProxy {

    private static final Logger log = LoggerFactory.getLogger(UpstreamProxy.class);

    /** Elements of {@code /nodes/{i}} in a parsed path: separator, "nodes", separator, index. */
    private static final int NODE_SUFFIX_ELEMENTS = 4;

    private final ProxyExchange proxyExchange;
    private final List<RequestHttpHeadersFilter> requestFilters;
    private final List<ResponseHttpHeadersFilter> responseFilters;
    private final ForwardedPrefix forwardedPrefix;
    private final GatewayMetrics metrics;

    public UpstreamProxy(ProxyExchange proxyExchange, List<RequestHttpHeadersFilter> requestFilters,
                         List<ResponseHttpHeadersFilter> responseFilters, ForwardedPrefix forwardedPrefix,
                         GatewayMetrics metrics) {
        this.proxyExchange = proxyExchange;
        this.requestFilters = List.copyOf(requestFilters);
        this.responseFilters = List.copyOf(responseFilters);
        this.forwardedPrefix = forwardedPrefix;
        this.metrics = metrics;
    }

    /** {@code <prefix>/**} → the system's service URL. */
    public HandlerFunction<ServerResponse> toService(UpstreamSystem system) {
        int consumed = elements(system.prefix());
        return request -> forward(request, system, routeId(system), system.url(), consumed);
    }

    /** {@code <prefix>/nodes/{i}/**} → node i; 404 {@code no-such-node} for an index not configured. */
    public HandlerFunction<ServerResponse> toNode(UpstreamSystem system) {
        int consumed = elements(system.prefix()) + NODE_SUFFIX_ELEMENTS;
        return request -> {
            long start = System.nanoTime();
            String index = request.pathVariable("i");
            Optional<URI> node = parseIndex(index).flatMap(system::node);
            if (node.isEmpty()) {
                Integer count = system.addressableNodes();
                ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "no-such-node",
                        "System " + system.name() + " has no node " + index + (count != null
                                ? "; nodes are numbered 0 to " + (count - 1) : "") + ".");
                problem.setProperty("system", system.name());
                problem.setProperty("node", index);
                if (count != null) {
                    problem.setProperty("nodes", count);
                }
                return problem(request, problem, nodeRouteId(system), system, start);
            }
            return forward(request, system, nodeRouteId(system), node.get(), consumed);
        };
    }

    public static String routeId(UpstreamSystem system) {
        return system.name();
    }

    public static String nodeRouteId(UpstreamSystem system) {
        return system.name() + "-nodes";
    }

    ServerResponse forward(ServerRequest request, UpstreamSystem system, String routeId, URI base, int consumed) {
        long start = System.nanoTime();
        PathContainer path = request.requestPath().pathWithinApplication();
        int split = Math.min(consumed, path.elements().size());
        String rest = path.subPath(split).value();
        String query = request.servletRequest().getQueryString();
        URI target;
        try {
            target = new URI(stripTrailingSlash(base.toString()) + (rest.isEmpty() ? "/" : rest)
                    + (query != null ? "?" + query : ""));
        }
        catch (URISyntaxException e) {
            ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, ProblemKinds.MALFORMED_URI,
                    "The request URL cannot be forwarded: " + e.getReason() + ".");
            return problem(request, problem, routeId, system, start);
        }

        HttpHeaders headers = filter(requestFilters, request.headers().asHttpHeaders(), request);
        headers.remove(HttpHeaders.HOST); // the upstream's own; the client's goes as X-Forwarded-Host
        // as the client sent it: the servlet view appends the request encoding (";charset=UTF-8")
        String contentType = request.servletRequest().getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            headers.set(HttpHeaders.CONTENT_TYPE, contentType);
        }
        if (forwardedPrefix.applies(request)) {
            headers.set(ForwardedPrefix.HEADER, request.requestPath().contextPath().value() + path.subPath(0, split).value());
        }

        // Retries: a GET, HEAD or OPTIONS without a body is sent once more when the connection
        // could not be made (refused: it never reached the upstream) or broke before any response
        // (a crashed or restarting upstream, a pooled connection closed by the other side).
        // Nothing else is retried: not a timeout (the upstream may be working on it), not a
        // request with a body.
        int attempts = retryable(request) ? 2 : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                ProxyExchange.Request proxyRequest = proxyExchange.request(request)
                        .uri(target)
                        .headers(headers)
                        .responseConsumer((response, serverResponse) -> serverResponse.headers()
                                .putAll(filter(responseFilters, response.getHeaders(), serverResponse)))
                        .build();
                ServerResponse response = proxyExchange.exchange(proxyRequest);
                return new TimedResponse(response, () -> metrics.record(routeId, system.name(),
                        request.method().name(), response.statusCode().value(), System.nanoTime() - start));
            }
            catch (ResourceAccessException e) {
                UpstreamFailure failure = UpstreamFailure.of(e);
                if (attempt < attempts && failure.retryable(e)) {
                    log.debug("{} {} failed ({}), sending it once more", request.method(), target, e.getMessage());
                    continue;
                }
                return problem(request, upstreamProblem(failure, e, system, base), routeId, system, start);
            }
        }
    }

    private ProblemDetail upstreamProblem(UpstreamFailure failure, Throwable e, UpstreamSystem system, URI base) {
        String detail = switch (failure) {
            case CONNECT -> "The " + system.name() + " service at " + base + " cannot be reached ("
                    + UpstreamFailure.rootMessage(e) + "). Is it running? GET / lists what is up.";
            case TIMEOUT -> "The " + system.name() + " service at " + base
                    + " did not answer within p2plab.gateway.read-timeout.";
            case BROKEN -> "The connection to the " + system.name() + " service at " + base
                    + " broke before it answered (" + UpstreamFailure.rootMessage(e) + ").";
        };
        ProblemDetail problem = Problems.problem(failure.status, failure.kind, detail);
        problem.setProperty("system", system.name());
        problem.setProperty("upstream", base.toString());
        return problem;
    }

    private ServerResponse problem(ServerRequest request, ProblemDetail problem, String routeId,
                                   UpstreamSystem system, long start) {
        problem.setInstance(Problems.instance(request.servletRequest()));
        ServerResponse response = ServerResponse.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.asMap(problem));
        return new TimedResponse(response, () -> metrics.record(routeId, system.name(), request.method().name(),
                problem.getStatus(), System.nanoTime() - start));
    }

    /** GET, HEAD, OPTIONS without a body: safe to send again, nothing to replay. */
    private static boolean retryable(ServerRequest request) {
        HttpMethod method = request.method();
        if (!(HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method))) {
            return false;
        }
        HttpServletRequest servlet = request.servletRequest();
        return servlet.getContentLengthLong() <= 0 && servlet.getHeader(HttpHeaders.TRANSFER_ENCODING) == null;
    }

    private static <T> HttpHeaders filter(List<? extends HttpHeadersFilter<T>> filters, HttpHeaders input, T target) {
        HttpHeaders filtered = input;
        for (HttpHeadersFilter<T> filter : filters) {
            filtered = filter.apply(filtered, target);
        }
        return filtered == input ? new HttpHeaders(input) : filtered;
    }

    private static Optional<Integer> parseIndex(String index) {
        if (index == null || index.isEmpty() || index.length() > 9 || !index.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(index));
    }

    private static int elements(String prefix) {
        return PathContainer.parsePath(prefix).elements().size();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Records the route's timer once the response has been written (or failed to be). */
    private record TimedResponse(ServerResponse delegate, Runnable onWritten) implements ServerResponse {

        @Override
        public HttpStatusCode statusCode() {
            return delegate.statusCode();
        }

        @Override
        public HttpHeaders headers() {
            return delegate.headers();
        }

        @Override
        public MultiValueMap<String, Cookie> cookies() {
            return delegate.cookies();
        }

        @Override
        public ModelAndView writeTo(HttpServletRequest request, HttpServletResponse response, Context context)
                throws ServletException, java.io.IOException {
            try {
                return delegate.writeTo(request, response, context);
            }
            finally {
                onWritten.run();
            }
        }
    }
}
