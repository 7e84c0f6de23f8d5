package org.p2plab.support.problem;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/** Small helpers shared by the exception handler, the /error controller and the size filter. */
public final class Problems {

    private Problems() {
    }

    /** A problem with a p2plab type, the kind's title and the given detail. */
    public static ProblemDetail problem(HttpStatusCode status, String kind, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(ProblemKinds.type(kind));
        problem.setTitle(ProblemKinds.title(kind));
        return problem;
    }

    /**
     * The {@code instance} of a problem: the path the client asked for (the original one when
     * rendering on an error dispatch), as a relative URI. Never throws, even for a path whose
     * percent-encoding is broken (illegal characters are quoted).
     */
    public static URI instance(HttpServletRequest request) {
        Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = original instanceof String s ? s : request.getRequestURI();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        try {
            return new URI(path);
        }
        catch (URISyntaxException notAUri) {
            try {
                return new URI(null, null, path, null);
            }
            catch (URISyntaxException stillNot) {
                return URI.create("/");
            }
        }
    }

    /** Writes a problem as {@code application/problem+json} directly to a servlet response (for filters). */
    public static void write(ProblemDetail problem, HttpServletResponse response, JsonMapper mapper)
            throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        byte[] json = mapper.writeValueAsBytes(asMap(problem));
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
        response.flushBuffer();
    }

    /** The JSON members of a problem, in RFC 9457 order, extension members inlined. */
    public static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", problem.getType().toString());
        if (problem.getTitle() != null) {
            map.put("title", problem.getTitle());
        }
        map.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            map.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            map.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            problem.getProperties().forEach(map::putIfAbsent);
        }
        return map;
    }

    /** Shortens user-supplied text quoted back in a detail. */
    static String abbreviate(Object value, int max) {
        String s = String.valueOf(value);
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
