package org.p2plab.publius.protocol;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishing a whole directory whose files link to each other, the paper's way: publish every
 * file, then rewrite each file's relative links into the other files' Publius URLs and publish
 * the rewritten file through <em>update</em>, so its original URL (the one the links name) leads
 * to the rewritten version. That also covers files that link to each other (C to D and D to C),
 * which "publish B first, then rewrite A" cannot.
 */
public final class Site {

    /** href="..." / src='...' attributes. */
    private static final Pattern ATTRIBUTE = Pattern.compile("(?i)(\\b(?:href|src)\\s*=\\s*)(?:\"([^\"]*)\"|'([^']*)')");
    /** CSS url(...). */
    private static final Pattern CSS_URL = Pattern.compile("(?i)url\\(\\s*(['\"]?)([^'\")\\s]+)\\1\\s*\\)");
    private static final Pattern PUBLIUS_IN_ATTRIBUTE = Pattern.compile("(?i)(\\b(?:href|src)\\s*=\\s*)([\"'])(publius://[^\"']+)\\2");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    private Site() {
    }

    /** One file of a directory: its relative path, content and media type. */
    public record File(String path, byte[] content, String mimeType) {
    }

    /** A published file: its (stable) URL and how many links in it were rewritten. */
    public record Entry(String path, PubliusUrl url, int linksRewritten) {
    }

    public record Published(String password, List<Entry> files) {
        public java.util.Optional<Entry> index() {
            return files.stream().filter(f -> f.path().equals("index.html") || f.path().equals("index.htm")).findFirst();
        }
    }

    /** Publishes the files and rewrites their relative links to each other's Publius URLs. */
    public static Published publish(PubliusClient client, List<File> files, int n, int k, String password) {
        if (files.isEmpty()) {
            throw new PubliusException(PubliusException.Reason.INVALID, "the directory has no files");
        }
        Map<String, File> byPath = new LinkedHashMap<>();
        for (File f : files) {
            String path = normalize("", f.path());
            if (path == null || path.isEmpty()) {
                throw new PubliusException(PubliusException.Reason.INVALID, "not a relative file path: " + f.path());
            }
            if (byPath.put(path, new File(path, f.content(), f.mimeType())) != null) {
                throw new PubliusException(PubliusException.Reason.INVALID, "the path " + path + " is given twice");
            }
        }
        String pw = password;
        Map<String, PubliusUrl> urls = new LinkedHashMap<>();
        for (File f : byPath.values()) {
            PubliusClient.Published p = client.publish(f.content(), f.mimeType(), n, k, k, false, pw);
            pw = p.password();
            urls.put(f.path(), p.url());
        }
        List<Entry> entries = new ArrayList<>();
        for (File f : byPath.values()) {
            int[] count = {0};
            if (isText(f.mimeType())) {
                String text = new String(f.content(), StandardCharsets.UTF_8);
                String rewritten = rewriteLinks(text, f.path(), target -> {
                    PubliusUrl u = urls.get(target);
                    if (u != null) {
                        count[0]++;
                    }
                    return u == null ? null : u.toString();
                });
                if (count[0] > 0) {
                    client.update(urls.get(f.path()), pw, pw, rewritten.getBytes(StandardCharsets.UTF_8), f.mimeType());
                }
            }
            entries.add(new Entry(f.path(), urls.get(f.path()), count[0]));
        }
        return new Published(pw, entries);
    }

    /** HTML, CSS, JavaScript, SVG, XML and plain text have links worth rewriting. */
    public static boolean isText(String mimeType) {
        String t = mimeType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/") || t.startsWith("application/xhtml+xml") || t.startsWith("image/svg+xml")
                || t.startsWith("application/javascript") || t.startsWith("application/xml");
    }

    /**
     * Replaces each relative link in {@code text} (href/src attributes, CSS url()) for which
     * {@code target} (given the link's normalized path) returns a replacement; a fragment is kept.
     */
    public static String rewriteLinks(String text, String fromPath, Function<String, String> target) {
        String attributes = replace(ATTRIBUTE, text, m -> {
            String link = m.group(2) != null ? m.group(2) : m.group(3);
            String quote = m.group(2) != null ? "\"" : "'";
            String replaced = replacement(fromPath, link, target);
            return replaced == null ? null : m.group(1) + quote + replaced + quote;
        });
        return replace(CSS_URL, attributes, m -> {
            String replaced = replacement(fromPath, m.group(2), target);
            return replaced == null ? null : "url(" + m.group(1) + replaced + m.group(1) + ")";
        });
    }

    /**
     * What the paper's browser proxy does for a page it serves: each {@code publius://} link in an
     * href/src attribute becomes a link to this client's retrieve endpoint, relative, so that it
     * works directly and behind the gateway's prefix.
     */
    public static String proxyLinks(String html, String retrievePath) {
        return replace(PUBLIUS_IN_ATTRIBUTE, html, m -> {
            String link = m.group(3);
            int hash = link.indexOf('#');
            String url = hash < 0 ? link : link.substring(0, hash);
            String fragment = hash < 0 ? "" : link.substring(hash);
            return m.group(1) + m.group(2) + retrievePath + "?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8)
                    + fragment + m.group(2);
        });
    }

    private static String replacement(String fromPath, String link, Function<String, String> target) {
        String l = link.strip();
        int hash = l.indexOf('#');
        String fragment = hash < 0 ? "" : l.substring(hash);
        String path = hash < 0 ? l : l.substring(0, hash);
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.isEmpty() || SCHEME.matcher(path).find() || path.startsWith("//")) {
            return null;
        }
        String dir = fromPath.contains("/") ? fromPath.substring(0, fromPath.lastIndexOf('/') + 1) : "";
        String resolved = normalize(path.startsWith("/") ? "" : dir, path.startsWith("/") ? path.substring(1) : path);
        if (resolved == null) {
            return null;
        }
        String to = target.apply(resolved);
        return to == null ? null : to + fragment;
    }

    /** {@code base + path} with "." and ".." resolved; null if it climbs above the root. */
    static String normalize(String base, String path) {
        List<String> parts = new ArrayList<>();
        for (String s : (base + path.replace('\\', '/')).split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.removeLast();
            }
            else {
                parts.add(s);
            }
        }
        return String.join("/", parts);
    }

    private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String r = replacement.apply(m);
            m.appendReplacement(out, Matcher.quoteReplacement(r == null ? m.group() : r));
        }
        m.appendTail(out);
        return out.toString();
    }
}
