package org.p2plab.publius.transport;

import java.util.Optional;
import java.util.function.Supplier;

import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.publius.protocol.PubliusName;
import org.p2plab.publius.protocol.PubliusServerPeer;
import org.p2plab.publius.protocol.Share;
import org.p2plab.support.http.PeerClient;
import org.p2plab.support.http.PeerRejectedException;
import org.p2plab.support.metrics.P2pMetrics;
import org.springframework.http.MediaType;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

/** {@link PubliusServerPeer} over HTTP: each call is a request to the server's /peer/publius API. */
public class HttpPubliusServer implements PubliusServerPeer {

    public static final String SYSTEM = "publius";
    public static final String SHARE_HEADER = "Publius-Share";
    public static final String PASSWORD_HASH_HEADER = "Publius-Password-Hash";

    // the problem kinds the server answers with; the client turns them back into refusals
    static final String NO_SUCH_PIECE = "no-such-piece";
    static final String WRONG_PASSWORD = "wrong-password";
    static final String PIECE_EXISTS = "piece-exists";
    static final String DOCUMENT_TOO_LARGE = "document-too-large";
    static final String STORAGE_FULL = "storage-full";
    static final String INVALID_PIECE = "invalid-piece";

    private final PeerClient peers;

    public HttpPubliusServer(RestClient client, P2pMetrics metrics) {
        this.peers = new PeerClient(client, metrics, SYSTEM);
    }

    /** A URI template, so the client metrics' "uri" tag stays one per server and operation, not one per name. */
    private static String path(String server) {
        return server + "/peer/publius/{name}";
    }

    private static <T> T refusals(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (PeerRejectedException e) {
            String kind = e.kind().orElse("");
            Refusal refusal = switch (kind) {
                case NO_SUCH_PIECE -> Refusal.NOT_FOUND;
                case WRONG_PASSWORD -> Refusal.WRONG_PASSWORD;
                case PIECE_EXISTS -> Refusal.EXISTS;
                case DOCUMENT_TOO_LARGE, "payload-too-large" -> Refusal.TOO_LARGE;
                default -> switch (e.status().value()) {
                    case 403 -> Refusal.WRONG_PASSWORD;
                    case 404 -> Refusal.NOT_FOUND;
                    case 409 -> Refusal.EXISTS;
                    case 413 -> Refusal.TOO_LARGE;
                    default -> Refusal.INVALID;
                };
            };
            String detail = e.detail();
            throw new RefusedException(refusal, detail);
        }
        catch (PeerUnavailableException e) {
            // 507 Insufficient Storage is a 5xx, but an answer: the server is up and full
            if (e.getCause() instanceof HttpServerErrorException h && h.getStatusCode().value() == 507) {
                throw new RefusedException(Refusal.STORAGE_FULL, "the server's storage is full");
            }
            throw e;
        }
    }

    @Override
    public void store(String server, PubliusName name, byte[] file, Share share, String passwordHash) {
        refusals(() -> peers.call(server, "store", c -> c.put().uri(path(server), name.hex())
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(SHARE_HEADER, share.encode())
                .header(PASSWORD_HASH_HEADER, passwordHash)
                .body(file).retrieve().toBodilessEntity()));
    }

    @Override
    public Optional<Piece> piece(String server, PubliusName name) {
        try {
            PeerDtos.PieceDto dto = refusals(() -> peers.call(server, "piece",
                    c -> c.get().uri(path(server), name.hex()).retrieve().body(PeerDtos.PieceDto.class)));
            if (dto == null) {
                throw new PeerUnavailableException(server, "empty answer to a piece request");
            }
            return Optional.of(dto.toPiece());
        }
        catch (RefusedException e) {
            if (e.refusal() == Refusal.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public byte[] file(String server, PubliusName name) {
        byte[] file = refusals(() -> peers.call(server, "file",
                c -> c.get().uri(path(server) + "/file", name.hex()).accept(MediaType.APPLICATION_OCTET_STREAM)
                        .retrieve().body(byte[].class)));
        return file == null ? new byte[0] : file;
    }

    @Override
    public void delete(String server, PubliusName name, String passwordHash) {
        refusals(() -> peers.call(server, "delete", c -> c.delete().uri(path(server), name.hex())
                .header(PASSWORD_HASH_HEADER, passwordHash).retrieve().toBodilessEntity()));
    }

    @Override
    public void update(String server, PubliusName name, String passwordHash, String newUrl) {
        refusals(() -> peers.call(server, "update", c -> c.post().uri(path(server) + "/update", name.hex())
                .contentType(MediaType.APPLICATION_JSON)
                .body(new PeerDtos.UpdateRequest(passwordHash, newUrl)).retrieve().toBodilessEntity()));
    }

    @Override
    public ServerStatus status(String server) {
        PeerDtos.StatusDto dto = refusals(() -> peers.call(server, "status",
                c -> c.get().uri(server + "/peer/status").retrieve().body(PeerDtos.StatusDto.class)));
        if (dto == null) {
            throw new PeerUnavailableException(server, "empty answer to a status request");
        }
        return new ServerStatus(dto.names(), dto.storedBytes(), dto.maxStoredBytes(), dto.maxDocumentBytes());
    }
}
