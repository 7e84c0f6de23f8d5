package org.p2plab.napster.protocol;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The words a search matches on: the file's name and its parent directory (so that
 * {@code \Beatles\Help.mp3} is found by "beatles help"), split at every character that is not a
 * letter or a digit, lower-cased; words of one character are ignored, as Napster ignored them.
 */
public final class Words {

    /** Words shorter than this are not indexed and not searched for. */
    public static final int MIN_LENGTH = 2;

    private Words() {
    }

    /** The indexed words of a shared file's path. */
    public static Set<String> ofPath(String path) {
        int last = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
        int parent = last <= 0 ? -1 : Math.max(path.lastIndexOf('\\', last - 1), path.lastIndexOf('/', last - 1));
        Set<String> words = new LinkedHashSet<>();
        split(path.substring(parent + 1), words);
        return words;
    }

    /** The words of a search text. */
    public static Set<String> ofQuery(String text) {
        Set<String> words = new LinkedHashSet<>();
        split(text, words);
        return words;
    }

    private static void split(String s, Set<String> out) {
        out.addAll(org.p2plab.overlay.Keywords.of(s, MIN_LENGTH));
    }
}
