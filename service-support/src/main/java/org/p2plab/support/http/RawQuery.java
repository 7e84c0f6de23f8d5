package org.p2plab.support.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A query parameter read from the query string alone. {@code @RequestParam} on a POST whose body
 * is form-encoded (curl's default type for {@code -d}) reads the body as parameters and consumes
 * it; an upload endpoint whose body is the content reads its parameters with this instead.
 */
public final class RawQuery {

    private RawQuery() {
    }

    /** The first value of {@code name} in the request's query string, decoded; null if absent. */
    public static String param(HttpServletRequest request, String name) {
        String raw = UriComponentsBuilder.fromUriString("/?" + Objects.toString(request.getQueryString(), "")).build()
                .getQueryParams().getFirst(name);
        return raw == null ? null : URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }
}
