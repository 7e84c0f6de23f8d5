package org.p2plab.overlay;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The keywords of a file name or a search, as the file-sharing systems match them (Napster's
 * index, a Gnutella servent's library): runs of letters and digits, lower-cased, words shorter
 * than a minimum left out (Napster and Gnutella ignore one-letter words).
 */
public final class Keywords {

    private Keywords() {
    }

    /** The words of {@code s} at least {@code minLength} long, in order, each once. */
    public static Set<String> of(String s, int minLength) {
        Set<String> out = new LinkedHashSet<>();
        int start = -1;
        for (int i = 0; i <= s.length(); i++) {
            boolean w = i < s.length() && Character.isLetterOrDigit(s.charAt(i));
            if (w && start < 0) {
                start = i;
            }
            else if (!w && start >= 0) {
                if (i - start >= minLength) {
                    out.add(s.substring(start, i).toLowerCase(Locale.ROOT));
                }
                start = -1;
            }
        }
        return out;
    }
}
