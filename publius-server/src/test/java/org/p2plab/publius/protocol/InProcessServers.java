package org.p2plab.publius.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.publius.store.PieceStore;

/** m Publius servers as {@link PieceStore}s in temporary directories, any of which can be "down". */
final class InProcessServers implements PubliusServerPeer {

    private final Map<String, PieceStore> stores = new LinkedHashMap<>();
    private final Set<String> down = new HashSet<>();
    final AtomicInteger requests = new AtomicInteger();

    InProcessServers(Path dir, int m, long maxDocumentBytes, long maxStoredBytes) {
        for (int i = 1; i <= m; i++) {
            String url = "http://server-" + i + ".example:8083";
            stores.put(url, new PieceStore(dir.resolve("s" + i), maxDocumentBytes, maxStoredBytes));
        }
    }

    List<String> urls() {
        return new ArrayList<>(stores.keySet());
    }

    PieceStore store(String server) {
        return stores.get(server);
    }

    void stop(String server) {
        down.add(server);
    }

    void startAll() {
        down.clear();
    }

    /** What a malicious operator (or a failing disk) does: replace the file's bytes. */
    void corruptFile(String server, PubliusName name, byte[] replacement) {
        try {
            Files.write(store(server).directory(name).resolve("file"), replacement);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mallory plants an update file next to the real piece. */
    void plantUpdate(String server, PubliusName name, String url) {
        try {
            Files.writeString(store(server).directory(name).resolve("update"), url);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PieceStore up(String server) {
        requests.incrementAndGet();
        if (down.contains(server)) {
            throw new PeerUnavailableException(server, "connection refused");
        }
        return stores.get(server);
    }

    @Override
    public void store(String server, PubliusName name, byte[] file, Share share, String passwordHash) {
        up(server).store(name, file, share.encode(), passwordHash);
    }

    @Override
    public Optional<Piece> piece(String server, PubliusName name) {
        return up(server).piece(name);
    }

    @Override
    public byte[] file(String server, PubliusName name) {
        try {
            return Files.readAllBytes(up(server).file(name));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String server, PubliusName name, String passwordHash) {
        up(server).delete(name, passwordHash);
    }

    @Override
    public void update(String server, PubliusName name, String passwordHash, String newUrl) {
        up(server).update(name, passwordHash, newUrl);
    }

    @Override
    public ServerStatus status(String server) {
        return up(server).status();
    }
}
