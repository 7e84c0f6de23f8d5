package org.p2plab.publius.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Publius URL: where the pieces of a document are, and the options the paper puts in the URL
 * (the version, k, n, the MIME type and the {@code no_update} flag). The grammar (ABNF,
 * RFC 5234), written out in the README:
 *
 * <pre>
 * publius-url = "publius://" version "/" options "/" mime "/" names
 * version     = "1"
 * options     = "k" number "n" number [ "-noupdate" ]
 * number      = %x31-39 *2DIGIT                 ; 2..255, no leading zero
 * mime        = 1*( unreserved / pct-encoded )  ; the media type, UTF-8, percent-encoded
 *                                               ; (upper-case hex; all but A-Z a-z 0-9 - . _ ~)
 * names       = name *( "." name )              ; exactly n names, name_1 first
 * name        = 16( DIGIT / %x61-66 )           ; lower-case hex, see PubliusName
 * </pre>
 *
 * Parsing accepts exactly the strings {@link #toString} writes, so a URL round-trips
 * character for character; anything else is an {@link IllegalArgumentException} saying what is
 * wrong.
 */
public record PubliusUrl(int version, int k, int n, boolean noUpdate, String mimeType, List<PubliusName> names) {

    public static final String SCHEME = "publius://";
    public static final int VERSION = 1;
    /** Longest media type the URL carries. */
    public static final int MAX_MIME_LENGTH = 255;

    private static final Pattern SHAPE = Pattern.compile(
            "publius://([^/]*)/([^/]*)/([^/]*)/([^/]*)");
    private static final Pattern OPTIONS = Pattern.compile("k([1-9][0-9]{0,2})n([1-9][0-9]{0,2})(-noupdate)?");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}");
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            TOKEN + "/" + TOKEN + "(\\s*;\\s*" + TOKEN + "=(" + TOKEN + "|\"[^\"\\\\\\p{Cntrl}]*\"))*");

    public PubliusUrl {
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown Publius URL version " + version + " (this is version " + VERSION + ")");
        }
        checkKn(k, n);
        if (!isMediaType(mimeType)) {
            throw new IllegalArgumentException("not a media type (type/subtype[; name=value]): "
                    + (mimeType == null ? "nothing" : PubliusName.abbreviate(mimeType)));
        }
        names = List.copyOf(names);
        if (names.size() != n) {
            throw new IllegalArgumentException("a Publius URL names exactly n = " + n + " pieces, got " + names.size());
        }
    }

    public PubliusUrl(int k, int n, boolean noUpdate, String mimeType, List<PubliusName> names) {
        this(VERSION, k, n, noUpdate, mimeType, names);
    }

    /** The rules on k and n the URL can express: 2 <= k <= n <= 255. */
    public static void checkKn(int k, int n) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2 (one share alone would be the key), got " + k);
        }
        if (n > 255) {
            throw new IllegalArgumentException("n must be at most 255 (shares are numbered by one byte), got " + n);
        }
        if (k > n) {
            throw new IllegalArgumentException("k must not exceed n, got k = " + k + ", n = " + n);
        }
    }

    public static boolean isMediaType(String s) {
        return s != null && s.length() <= MAX_MIME_LENGTH && MEDIA_TYPE.matcher(s).matches();
    }

    public static PubliusUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no Publius URL given");
        }
        if (url.length() > 8192) {
            throw new IllegalArgumentException("a Publius URL is at most 8192 characters, got " + url.length());
        }
        Matcher m = SHAPE.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("a Publius URL has the form publius://1/k<k>n<n>[-noupdate]/<mime>/<name>.<name>...; got "
                    + PubliusName.abbreviate(url));
        }
        if (!m.group(1).equals(Integer.toString(VERSION))) {
            throw new IllegalArgumentException("unknown Publius URL version '" + PubliusName.abbreviate(m.group(1))
                    + "' (this is version " + VERSION + ")");
        }
        Matcher o = OPTIONS.matcher(m.group(2));
        if (!o.matches()) {
            throw new IllegalArgumentException("the options of a Publius URL are k<k>n<n>[-noupdate], e.g. k3n10; got "
                    + PubliusName.abbreviate(m.group(2)));
        }
        int k = Integer.parseInt(o.group(1));
        int n = Integer.parseInt(o.group(2));
        String mime = percentDecode(m.group(3));
        if (!percentEncode(mime).equals(m.group(3))) {
            throw new IllegalArgumentException("the media type of a Publius URL is percent-encoded with upper-case hex, "
                    + "every byte but A-Z a-z 0-9 - . _ ~ encoded; got " + PubliusName.abbreviate(m.group(3)));
        }
        List<PubliusName> names = new ArrayList<>();
        for (String name : m.group(4).split("\\.", -1)) {
            names.add(PubliusName.parse(name));
        }
        return new PubliusUrl(VERSION, k, n, o.group(3) != null, mime, names);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(SCHEME).append(version).append('/')
                .append('k').append(k).append('n').append(n).append(noUpdate ? "-noupdate" : "")
                .append('/').append(percentEncode(mimeType)).append('/');
        for (int i = 0; i < names.size(); i++) {
            s.append(i == 0 ? "" : ".").append(names.get(i).hex());
        }
        return s.toString();
    }

    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            }
            else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("broken percent-encoding in the media type of a Publius URL");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) << 4 | Character.digit(s.charAt(i + 2), 16));
                i += 2;
            }
            else if (c > 0x7e || c < 0x21) {
                throw new IllegalArgumentException("the media type of a Publius URL must be percent-encoded");
            }
            else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
