package org.p2plab.publius.protocol;

import java.util.Optional;

/**
 * How a publisher or retriever talks to the Publius servers of its static list, each named by
 * its URL. Every call may throw {@link org.p2plab.overlay.PeerUnavailableException} (the server
 * is down or does not answer: route around it) or {@link RefusedException} (it answered no).
 */
public interface PubliusServerPeer {

    /** Stores {@code {M}K}, the share and {@code H(server_domain . PW)} in directory {@code name}. */
    void store(String server, PubliusName name, byte[] file, Share share, String passwordHash);

    /** What the server holds under {@code name}, without the file itself; empty if nothing. */
    Optional<Piece> piece(String server, PubliusName name);

    /** The stored {@code {M}K}; {@link Refusal#NOT_FOUND} if there is none. */
    byte[] file(String server, PubliusName name);

    /** Removes the directory; {@link Refusal#WRONG_PASSWORD} unless the hash matches the stored one. */
    void delete(String server, PubliusName name, String passwordHash);

    /** Removes file and share and leaves an update file holding {@code newUrl}; the hash must match. */
    void update(String server, PubliusName name, String passwordHash, String newUrl);

    /** The server's counters. */
    ServerStatus status(String server);

    /**
     * A name directory as the server describes it. A server may lie: the retriever checks every
     * claim (the file's digest, the share's name) itself.
     *
     * @param share      the share in text form, null if none (deleted by an update)
     * @param update     the update file's URL, null if none
     * @param fileSize   bytes of {@code {M}K}, 0 if none
     * @param fileSha256 the server's claim of the file's SHA-256, null if none
     */
    record Piece(String share, String update, long fileSize, String fileSha256) {
        public boolean hasFile() {
            return fileSha256 != null;
        }
    }

    /** @param names name directories held, {@code storedBytes} their size */
    record ServerStatus(long names, long storedBytes, long maxStoredBytes, long maxDocumentBytes) {
    }

    /** Why a server said no. */
    enum Refusal {
        /** Nothing under that name. */
        NOT_FOUND,
        /** The password hash does not match the stored one. */
        WRONG_PASSWORD,
        /** The name directory exists already. */
        EXISTS,
        /** Larger than the server's document limit. */
        TOO_LARGE,
        /** The server's storage limit would be exceeded. */
        STORAGE_FULL,
        /** The request itself is malformed (a bad share, hash or URL). */
        INVALID
    }

    /** A server answered, and refused. */
    class RefusedException extends RuntimeException {

        private final Refusal refusal;

        public RefusedException(Refusal refusal, String message) {
            super(message);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }
}
