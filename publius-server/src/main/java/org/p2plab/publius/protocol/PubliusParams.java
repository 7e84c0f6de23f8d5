package org.p2plab.publius.protocol;

/**
 * The client's limits.
 *
 * @param maxDocumentBytes      largest document M a publisher accepts
 * @param maxUpdateHops         how many update files a retrieval follows before giving up (a loop guard)
 * @param maxKeyAttempts        how many k-subsets of shares a retrieval tries to rebuild K before
 *                              declaring the pieces inconsistent (bounds the work forged shares cause)
 * @param maxPlacementAttempts  how many keys a publish draws to get d distinct locations
 */
public record PubliusParams(long maxDocumentBytes, int maxUpdateHops, int maxKeyAttempts, int maxPlacementAttempts) {

    public PubliusParams {
        if (maxDocumentBytes < 1 || maxUpdateHops < 0 || maxKeyAttempts < 1 || maxPlacementAttempts < 1) {
            throw new IllegalArgumentException("Publius limits must be positive");
        }
    }

    /** 16 MiB documents, 8 update hops, 2000 key attempts, 10 000 placement attempts. */
    public static PubliusParams defaults() {
        return new PubliusParams(16L << 20, 8, 2000, 10_000);
    }
}
