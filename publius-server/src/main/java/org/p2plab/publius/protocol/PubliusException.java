package org.p2plab.publius.protocol;

import java.util.List;

/**
 * A publish, retrieve, delete or update that could not be done, with the reason a user can act
 * on and, for a retrieval, what each server answered.
 */
public class PubliusException extends RuntimeException {

    /** Why; the web layer maps each to a status and problem kind. */
    public enum Reason {
        /** The request itself is wrong: k > n, n > m, an empty document, a bad media type (400). */
        INVALID,
        /** The document exceeds the size limit (413). */
        TOO_LARGE,
        /** No server holds any piece under the URL's names (404). */
        NOT_FOUND,
        /** Too many servers are unreachable to reach k of them (503). */
        UNAVAILABLE,
        /** The servers answered, but no k pieces are consistent: corrupted or forged (502). */
        TAMPERED,
        /** The password does not match on any server (403). */
        WRONG_PASSWORD,
        /** The URL carries the no_update flag, or the document was updated already (409). */
        NO_UPDATE,
        /** Update files lead in a circle or too far (502). */
        UPDATE_LOOP,
        /** Servers refused to store: their storage is full (507). */
        STORAGE_FULL
    }

    private final Reason reason;
    private final List<PubliusClient.PieceReport> pieces;

    public PubliusException(Reason reason, String message) {
        this(reason, message, List.of());
    }

    public PubliusException(Reason reason, String message, List<PubliusClient.PieceReport> pieces) {
        super(message);
        this.reason = reason;
        this.pieces = List.copyOf(pieces);
    }

    public Reason reason() {
        return reason;
    }

    /** What each server answered, for a retrieval; empty otherwise. */
    public List<PubliusClient.PieceReport> pieces() {
        return pieces;
    }
}
