package org.p2plab.overcast.content;

import java.util.regex.Pattern;

/**
 * One piece of content of a group, as the root published it: immutable, so a node that holds
 * {@code size} bytes whose SHA-256 is {@code sha256} holds it.
 *
 * @param publishedAt when the root accepted it, in epoch milliseconds
 */
public record ContentItem(String group, String name, long size, String sha256, long publishedAt) {

    /** Group and content names: safe in a URL path and as a file name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public ContentItem {
        requireName(group, "group");
        requireName(name, "content name");
        if (size < 0) {
            throw new IllegalArgumentException("a size is >= 0, got " + size);
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("a SHA-256 is 64 lowercase hex digits, got " + sha256);
        }
    }

    /** {@code value} if it is a valid group or content name, else an IllegalArgumentException saying why. */
    public static String requireName(String value, String what) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("a " + what + " is 1-128 letters, digits, '.', '_' or '-', starting with a letter "
                    + "or digit, got '" + (value == null ? "" : value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        }
        return value;
    }

    public String key() {
        return group + "/" + name;
    }
}
