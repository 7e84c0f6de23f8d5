package org.p2plab.napster.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * A payload's fields: separated by spaces; a field in double quotes (file names, client names)
 * may hold spaces. Napster has no escape for a quote inside a quoted field, so a name with a
 * double quote cannot be sent; {@link #quote} refuses one.
 */
public final class Fields {

    private Fields() {
    }

    /** The fields of {@code payload}; a {@link MalformedFrameException} if a quote is not closed. */
    public static List<String> split(String payload) {
        List<String> out = new ArrayList<>();
        int n = payload.length();
        int i = 0;
        while (i < n) {
            char c = payload.charAt(i);
            if (c == ' ') {
                i++;
            }
            else if (c == '"') {
                int end = payload.indexOf('"', i + 1);
                if (end < 0) {
                    throw new MalformedFrameException("a quoted field is not closed");
                }
                out.add(payload.substring(i + 1, end));
                i = end + 1;
            }
            else {
                int end = payload.indexOf(' ', i);
                if (end < 0) {
                    end = n;
                }
                out.add(payload.substring(i, end));
                i = end;
            }
        }
        return out;
    }

    /** {@code "s"}; refuses a value with a double quote (the protocol cannot carry one). */
    public static String quote(String s) {
        if (s.indexOf('"') >= 0) {
            throw new IllegalArgumentException("a Napster field cannot hold a double quote: " + s);
        }
        return '"' + s + '"';
    }

    /** Field {@code i} as an int in [min, max]; a {@link MalformedFrameException} naming {@code what} otherwise. */
    public static int intField(List<String> fields, int i, String what, int min, int max) {
        long v = longField(fields, i, what, min, max);
        return (int) v;
    }

    /** Field {@code i} as a long in [min, max]. */
    public static long longField(List<String> fields, int i, String what, long min, long max) {
        if (i >= fields.size()) {
            throw new MalformedFrameException("missing " + what);
        }
        String f = fields.get(i);
        long v;
        try {
            v = Long.parseLong(f);
        }
        catch (NumberFormatException e) {
            throw new MalformedFrameException(what + " is not a number: " + abbreviate(f));
        }
        if (v < min || v > max) {
            throw new MalformedFrameException(what + " is out of range: " + v);
        }
        return v;
    }

    /** Field {@code i}, which must be present and non-empty. */
    public static String field(List<String> fields, int i, String what) {
        if (i >= fields.size() || fields.get(i).isEmpty()) {
            throw new MalformedFrameException("missing " + what);
        }
        return fields.get(i);
    }

    /** At most 40 characters of {@code s}, for error messages. */
    public static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
