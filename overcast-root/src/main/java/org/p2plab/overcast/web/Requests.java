package org.p2plab.overcast.web;

import java.net.URI;

import org.p2plab.overcast.content.ContentItem;
import org.p2plab.support.problem.ProblemException;

/** Request values checked, as problems: shared by the controllers. */
public final class Requests {

    private Requests() {
    }

    /** A group or content name; 400 invalid-name. */
    public static String name(String value, String what) {
        try {
            return ContentItem.requireName(value, what);
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-name", e.getMessage());
        }
    }

    /** A node's URL: http(s) with a host, no path, query or fragment; 400 invalid-url. */
    public static String nodeUrl(String url, String what) {
        try {
            URI uri = new URI(url.strip());
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
                throw new IllegalArgumentException();
            }
            String u = uri.toString();
            return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        }
        catch (Exception e) {
            String shown = url == null ? "" : url.length() > 60 ? url.substring(0, 60) + "..." : url;
            throw ProblemException.badRequest("invalid-url", what + " is a node's http(s) URL with a host and nothing after "
                    + "the port, e.g. http://127.0.0.1:8185; got '" + shown + "'");
        }
    }
}
