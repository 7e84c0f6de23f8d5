package org.p2plab.publius.transport;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import org.p2plab.publius.protocol.PubliusServerPeer.Piece;

/** The bodies of the server's /peer/publius API. */
public final class PeerDtos {

    private PeerDtos() {
    }

    @Schema(description = "What a server holds under a name (the file itself is at /peer/publius/{name}/file)")
    public record PieceDto(
            @Schema(description = "The name, 16 hex digits") String name,
            @Schema(description = "The share, base64url of [index][bytes]; absent after an update") String share,
            @Schema(description = "The update file's URL, if the document was updated") String update,
            @Schema(description = "Bytes of {M}K; 0 if none") long fileSize,
            @Schema(description = "SHA-256 of {M}K as it is on this server's disk; absent if none") String fileSha256) {

        public static PieceDto of(String name, Piece p) {
            return new PieceDto(name, p.share(), p.update(), p.fileSize(), p.fileSha256());
        }

        public Piece toPiece() {
            return new Piece(share, update, fileSize, fileSha256);
        }
    }

    @Schema(description = "Replace the file and share with an update file holding the new URL")
    public record UpdateRequest(
            @NotBlank @Schema(description = "H(server_domain . PW), 64 hex digits") String passwordHash,
            @NotBlank @Schema(description = "The new Publius URL") String url) {
    }

    @Schema(description = "A server's counters and limits")
    public record StatusDto(long names, long storedBytes, long maxStoredBytes, long maxDocumentBytes) {
    }
}
