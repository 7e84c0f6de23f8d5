package org.p2plab.napster.protocol;

/**
 * A request the index refuses: the TCP protocol answers it with 0 (during login), 404 or the
 * message's own error reply; REST with the matching 4xx problem.
 */
public class NapsterException extends RuntimeException {

    /** Why; REST maps each to a status and a problem kind. */
    public enum Reason {
        INVALID_NICK, NICK_TAKEN, NO_SUCH_USER, BAD_PASSWORD, INVALID, OFFLINE, NOT_SHARED, FIREWALLED,
        NOT_FIREWALLED, QUEUE_FULL, TIMEOUT, NO_WORDS, SESSION_ENDED, TOO_MANY_SHARES
    }

    private final Reason reason;

    public NapsterException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
