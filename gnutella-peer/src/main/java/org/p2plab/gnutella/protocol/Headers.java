package org.p2plab.gnutella.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A handshake's header block (RFC 822 style, as the 0.6 draft says): names compared without
 * case, a line starting with a space or a tab continues the previous header, a header given twice
 * is the same as one with both values joined by a comma, unknown headers are kept and ignored.
 * Insertion order is kept for writing.
 */
public final class Headers {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> names = new LinkedHashMap<>();

    public Headers() {
    }

    /** Adds a value (joined with a comma to an earlier one of the same name). */
    public Headers add(String name, String value) {
        String key = name.toLowerCase(Locale.ROOT);
        names.putIfAbsent(key, name);
        values.merge(key, value.strip(), (a, b) -> a.isEmpty() ? b : b.isEmpty() ? a : a + "," + b);
        return this;
    }

    /** The value of {@code name} (any case), or null. */
    public String get(String name) {
        return values.get(name.toLowerCase(Locale.ROOT));
    }

    /** True if {@code name} is "true" (any case). */
    public boolean isTrue(String name) {
        String v = get(name);
        return v != null && v.strip().equalsIgnoreCase("true");
    }

    public boolean has(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public Map<String, String> asMap() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(names.get(k), v));
        return Collections.unmodifiableMap(out);
    }

    /** {@code Name: value\r\n} per header, then the empty line. */
    public String toWire() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(names.get(k)).append(": ").append(v).append("\r\n"));
        return b.append("\r\n").toString();
    }

    /** The comma-separated values of {@code name}, trimmed, empty ones left out. */
    public List<String> list(String name) {
        String v = get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String s : v.split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
