package org.p2plab.publius.transport;

import java.io.IOException;
import java.util.function.Supplier;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.p2plab.publius.config.PubliusService;
import org.p2plab.publius.protocol.PubliusName;
import org.p2plab.publius.protocol.PubliusServerPeer.RefusedException;
import org.p2plab.publius.protocol.PubliusServerPeer.ServerStatus;
import org.p2plab.publius.store.PieceStore;
import org.p2plab.publius.transport.PeerDtos.PieceDto;
import org.p2plab.publius.transport.PeerDtos.StatusDto;
import org.p2plab.publius.transport.PeerDtos.UpdateRequest;
import org.p2plab.support.dht.DhtRequests;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Publius server: the paper's {@code /publius/<name>/} directories over HTTP. What
 * {@link HttpPubliusServer} calls; publishers and retrievers, not people, use it.
 */
@RestController
@RequestMapping("/peer")
@Tag(name = "peer API", description = "Publius server: name directories holding {M}K, a share and a password hash")
public class PeerController {

    private final PubliusService publius;
    private final P2pMetrics metrics;

    public PeerController(PubliusService publius, P2pMetrics metrics) {
        this.publius = publius;
        this.metrics = metrics;
    }

    private PieceStore store(String type) {
        metrics.message(HttpPubliusServer.SYSTEM, type, P2pMetrics.IN);
        return publius.store();
    }

    private static PubliusName name(String name) {
        try {
            return PubliusName.parse(name);
        }
        catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-name", e.getMessage());
        }
    }

    /** The store's refusals as the problems HttpPubliusServer maps back. */
    private static <T> T refusals(Supplier<T> call) {
        try {
            return call.get();
        }
        catch (RefusedException e) {
            throw switch (e.refusal()) {
                case NOT_FOUND -> ProblemException.notFound(HttpPubliusServer.NO_SUCH_PIECE, e.getMessage());
                case WRONG_PASSWORD -> ProblemException.of(HttpStatus.FORBIDDEN, HttpPubliusServer.WRONG_PASSWORD, e.getMessage());
                case EXISTS -> ProblemException.conflict(HttpPubliusServer.PIECE_EXISTS, e.getMessage());
                case TOO_LARGE -> ProblemException.of(HttpStatus.CONTENT_TOO_LARGE, HttpPubliusServer.DOCUMENT_TOO_LARGE, e.getMessage());
                case STORAGE_FULL -> ProblemException.of(HttpStatus.INSUFFICIENT_STORAGE, HttpPubliusServer.STORAGE_FULL, e.getMessage());
                case INVALID -> ProblemException.badRequest(HttpPubliusServer.INVALID_PIECE, e.getMessage());
            };
        }
    }

    @PutMapping(path = "/publius/{name}", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Store a piece: {M}K as the body, the share and H(server_domain . PW) in headers",
            description = "201 when stored; 409 piece-exists, 413 document-too-large, 507 storage-full, 400 invalid-piece.")
    public ResponseEntity<Void> store(@PathVariable String name,
                                      @Parameter(description = "base64url of [index][share bytes]") @RequestHeader(HttpPubliusServer.SHARE_HEADER) String share,
                                      @Parameter(description = "H(server_domain . PW), 64 hex digits") @RequestHeader(HttpPubliusServer.PASSWORD_HASH_HEADER) String passwordHash,
                                      HttpServletRequest request) throws IOException {
        PieceStore store = store("store");
        PubliusName n = name(name);
        byte[] file = DhtRequests.readValue(request, store.maxDocumentBytes(), "p2plab.publius.max-document-size");
        refusals(() -> {
            store.store(n, file, share, passwordHash);
            return null;
        });
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @GetMapping("/publius/{name}")
    @Operation(summary = "What is stored under a name: the share, the update URL, the file's size and SHA-256",
            description = "404 no-such-piece if nothing.")
    public PieceDto piece(@PathVariable String name) {
        PieceStore store = store("piece");
        PubliusName n = name(name);
        return store.piece(n).map(p -> PieceDto.of(n.hex(), p))
                .orElseThrow(() -> ProblemException.notFound(HttpPubliusServer.NO_SUCH_PIECE, "nothing is stored under name " + n));
    }

    @GetMapping(path = "/publius/{name}/file", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(summary = "The encrypted document {M}K stored under a name")
    public ResponseEntity<InputStreamResource> file(@PathVariable String name) {
        PieceStore store = store("file");
        PubliusName n = name(name);
        return refusals(() -> ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(new InputStreamResource(store.openFile(n))));
    }

    @DeleteMapping("/publius/{name}")
    @Operation(summary = "Delete a name directory; needs the password hash it was stored with",
            description = "204 when deleted; 403 wrong-password; 404 no-such-piece.")
    public ResponseEntity<Void> delete(@PathVariable String name,
                                       @RequestHeader(HttpPubliusServer.PASSWORD_HASH_HEADER) String passwordHash) {
        PieceStore store = store("delete");
        PubliusName n = name(name);
        refusals(() -> {
            store.delete(n, passwordHash);
            return null;
        });
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/publius/{name}/update")
    @Operation(summary = "Replace file and share with an update file holding the new URL; needs the password hash",
            description = "204 when done; 403 wrong-password; 404 no-such-piece; 400 invalid-piece for a URL that is not a Publius URL.")
    public ResponseEntity<Void> update(@PathVariable String name, @Valid @RequestBody UpdateRequest body) {
        PieceStore store = store("update");
        PubliusName n = name(name);
        refusals(() -> {
            store.update(n, body.passwordHash(), body.url());
            return null;
        });
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/status")
    @Operation(summary = "This server's counters and limits")
    public StatusDto status() {
        ServerStatus s = store("status").status();
        return new StatusDto(s.names(), s.storedBytes(), s.maxStoredBytes(), s.maxDocumentBytes());
    }
}
