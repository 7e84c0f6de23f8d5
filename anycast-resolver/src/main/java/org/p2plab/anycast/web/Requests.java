package org.p2plab.anycast.web;

import java.net.URI;

import org.p2plab.anycast.protocol.Adn;
import org.p2plab.anycast.protocol.Resolver;
import org.p2plab.support.problem.ProblemException;
import org.springframework.http.HttpStatusCode;

/** Request values to protocol values, and protocol refusals to problems: shared by the controllers. */
public final class Requests {

    static final String INVALID_ADN = "invalid-adn";
    static final String UNKNOWN_GROUP = "unknown-group";

    private Requests() {
    }

    /** An ADN from a path or body; 400 invalid-adn saying why (and that '%' is written %25 in a path). */
    public static Adn adn(String text) {
        try {
            return Adn.parse(text);
        }
        catch (IllegalArgumentException e) {
            String hint = text != null && text.indexOf('%') < 0 && !text.isBlank()
                    ? " In a URL path write the '%' of an ADN as %25: /resolve/Daily-News%25cc.gatech.edu" : "";
            throw ProblemException.badRequest(INVALID_ADN, e.getMessage() + "." + hint);
        }
    }

    /** An http(s) URL with a host, without a trailing slash; 400 invalid-url. */
    public static String serverUrl(String url) {
        try {
            URI uri = new URI(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException();
            }
            String u = uri.toString();
            return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        }
        catch (Exception e) {
            throw ProblemException.badRequest("invalid-url", "a member's url is an http(s) URL with a host and "
                    + "without query or fragment, e.g. http://127.0.0.1:8184; got '" + abbreviate(url) + "'");
        }
    }

    static ProblemException unknownGroup(String detail) {
        return ProblemException.notFound(UNKNOWN_GROUP, detail);
    }

    /** Runs a resolver call, its refusals as problems: 404 unknown-group, 422 not-authoritative, 400 for bad values. */
    public static <T> T refusals(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        }
        catch (Resolver.UnknownGroupException e) {
            throw unknownGroup(e.getMessage());
        }
        catch (Resolver.NotAuthoritativeException e) {
            throw ProblemException.of(HttpStatusCode.valueOf(422), "not-authoritative", e.getMessage());
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-parameter", e.getMessage());
        }
    }

    static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
