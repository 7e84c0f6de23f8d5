package org.p2plab.publius.protocol;

import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.codahale.shamir.Scheme;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.publius.protocol.PubliusException.Reason;
import org.p2plab.publius.protocol.PubliusServerPeer.Piece;
import org.p2plab.publius.protocol.PubliusServerPeer.Refusal;
import org.p2plab.publius.protocol.PubliusServerPeer.RefusedException;

/**
 * The Publius publisher and retriever (Waldman, Rubin and Cranor, USENIX Security 2000) over a
 * static list of m servers. Plain Java: the servers are reached through {@link PubliusServerPeer}
 * (HTTP in the service, in-process in tests), calls to the n locations run in parallel on the
 * given executor, randomness comes from the given {@link SecureRandom}.
 *
 * <ul>
 *   <li><b>Publish</b>: a random key K; {@code {M}K} with AES-256-GCM; K split into n Shamir
 *       shares, any k of which rebuild it; {@code name_i = wrap(H(M . share_i))},
 *       {@code location_i = (name_i mod m) + 1}; fewer than d distinct locations: a new K; then
 *       {@code {M}K}, {@code share_i} and {@code H(server_domain . PW)} go to each location.</li>
 *   <li><b>Retrieve</b>: every location is asked what it holds; update files followed only when
 *       k of them name the same URL (never for a {@code no_update} URL); k shares rebuild K,
 *       a copy of {@code {M}K} decrypts, and every share used must recompute its name from M
 *       (the tamper check). Corrupt, forged or missing pieces are routed around.</li>
 *   <li><b>Delete</b> and <b>update</b>: each server checks its own {@code H(server_domain . PW)}.</li>
 * </ul>
 */
public final class PubliusClient {

    /** A piece's part in a retrieval, as reported per server. */
    public static final String USED = "used";
    public static final String VERIFIED = "verified";
    public static final String NOT_NEEDED = "not-needed";
    public static final String BAD_SHARE = "bad-share";
    public static final String CORRUPT_FILE = "corrupt-file";
    public static final String MISSING = "missing";
    public static final String UNREACHABLE = "unreachable";
    public static final String UPDATE = "update";
    public static final String IGNORED_UPDATE = "ignored-update";

    /** Most severe first: what a piece's status shows when several things were found. */
    private static final List<String> SEVERITY = List.of(UNREACHABLE, CORRUPT_FILE, BAD_SHARE, IGNORED_UPDATE, MISSING,
            UPDATE, USED, VERIFIED, NOT_NEEDED);

    private final List<String> servers;
    private final PubliusServerPeer peer;
    private final PubliusParams params;
    private final SecureRandom random;
    private final Executor executor;

    public PubliusClient(List<String> servers, PubliusServerPeer peer, PubliusParams params,
                         SecureRandom random, Executor executor) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("Publius needs a list of at least one server");
        }
        if (new HashSet<>(servers).size() != servers.size()) {
            throw new IllegalArgumentException("a server is listed twice: " + servers);
        }
        this.servers = List.copyOf(servers);
        this.peer = peer;
        this.params = params;
        this.random = random;
        this.executor = executor;
    }

    /** The static server list; location i is {@code servers().get(i - 1)}. */
    public List<String> servers() {
        return servers;
    }

    public int m() {
        return servers.size();
    }

    public PubliusParams params() {
        return params;
    }

    /** The server at a 1-based location. */
    public String server(int location) {
        return servers.get(location - 1);
    }

    /** The server's domain as hashed with the password: the authority (host:port) of its URL. */
    public static String domain(String server) {
        try {
            String authority = URI.create(server).getRawAuthority();
            return (authority != null ? authority : server).toLowerCase(Locale.ROOT);
        }
        catch (IllegalArgumentException e) {
            return server.toLowerCase(Locale.ROOT);
        }
    }

    // ------------------------------------------------------------------ publish

    /** Where one share went. {@code outcome}: "stored", "unreachable", or "refused: ...". */
    public record Placement(int share, PubliusName name, int location, String server, String outcome) {
        public boolean stored() {
            return "stored".equals(outcome);
        }
    }

    /** A published document: its URL, the password that deletes and updates it, where its pieces are. */
    public record Published(PubliusUrl url, String password, List<Placement> placements, int keyAttempts) {
        public long storedCount() {
            return placements.stream().filter(Placement::stored).count();
        }
    }

    /**
     * Publishes M. Succeeds when at least k pieces are stored (the placements say which failed);
     * otherwise removes what was stored and fails.
     *
     * @param d        the distinct locations required, k <= d <= min(n, m)
     * @param password null or blank: a generated one
     */
    public Published publish(byte[] content, String mimeType, int n, int k, int d, boolean noUpdate, String password) {
        checkPublish(content, mimeType, n, k, d);
        String pw = password == null || password.isBlank() ? PubliusCrypto.newPassword(random) : checkPassword(password);
        MessageDigest hashOfM = PubliusCrypto.sha256Of(content);
        Scheme scheme = new Scheme(random, n, k);
        for (int attempt = 1; attempt <= params.maxPlacementAttempts(); attempt++) {
            byte[] key = PubliusCrypto.newKey(random);
            Map<Integer, byte[]> parts = scheme.split(key);
            List<Share> shares = IntStream.rangeClosed(1, n).mapToObj(i -> new Share(i, parts.get(i))).toList();
            List<PubliusName> names = shares.stream().map(s -> PubliusName.of(hashOfM, s)).toList();
            long distinct = names.stream().map(x -> x.location(m())).distinct().count();
            if (distinct >= d && new HashSet<>(names).size() == n) {
                byte[] file = PubliusCrypto.encrypt(key, content, random);
                PubliusCrypto.wipe(key);
                PubliusUrl url = new PubliusUrl(k, n, noUpdate, mimeType, names);
                return store(url, file, shares, pw, attempt);
            }
            PubliusCrypto.wipe(key);
        }
        throw new PubliusException(Reason.INVALID, "no key out of " + params.maxPlacementAttempts()
                + " gave d = " + d + " distinct locations among m = " + m() + " servers; ask for a smaller d");
    }

    private void checkPublish(byte[] content, String mimeType, int n, int k, int d) {
        if (content == null || content.length == 0) {
            throw new PubliusException(Reason.INVALID, "the document is empty; Publius publishes at least one byte");
        }
        if (content.length > params.maxDocumentBytes()) {
            throw new PubliusException(Reason.TOO_LARGE, "the document has " + content.length
                    + " bytes; at most " + params.maxDocumentBytes() + " are published");
        }
        if (!PubliusUrl.isMediaType(mimeType)) {
            throw new PubliusException(Reason.INVALID, "not a media type (type/subtype[; name=value]): " + mimeType);
        }
        try {
            PubliusUrl.checkKn(k, n);
        }
        catch (IllegalArgumentException e) {
            throw new PubliusException(Reason.INVALID, e.getMessage());
        }
        if (n > m()) {
            throw new PubliusException(Reason.INVALID, "n = " + n + " shares need at least n servers; the list has m = " + m());
        }
        if (d < k || d > Math.min(n, m())) {
            throw new PubliusException(Reason.INVALID, "d, the distinct locations required, must be between k = " + k
                    + " and min(n, m) = " + Math.min(n, m()) + "; got " + d);
        }
    }

    private static String checkPassword(String password) {
        if (password.length() > 256) {
            throw new PubliusException(Reason.INVALID, "a password is at most 256 characters");
        }
        return password;
    }

    private Published store(PubliusUrl url, byte[] file, List<Share> shares, String password, int attempts) {
        List<PubliusName> names = url.names();
        List<Placement> placements = parallel(names.size(), i -> {
            PubliusName name = names.get(i);
            int location = name.location(m());
            String server = server(location);
            String outcome;
            try {
                peer.store(server, name, file, shares.get(i), PubliusCrypto.passwordHash(domain(server), password));
                outcome = "stored";
            }
            catch (PeerUnavailableException e) {
                outcome = UNREACHABLE;
            }
            catch (RefusedException e) {
                outcome = "refused: " + e.refusal().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": " + e.getMessage();
            }
            return new Placement(i + 1, name, location, server, outcome);
        });
        Published published = new Published(url, password, placements, attempts);
        if (published.storedCount() >= url.k()) {
            return published;
        }
        // fewer than k pieces cannot be retrieved: take back what was stored
        for (Placement p : placements) {
            if (p.stored()) {
                quietly(() -> peer.delete(p.server(), p.name(), PubliusCrypto.passwordHash(domain(p.server()), password)));
            }
        }
        Reason reason = placements.stream().anyMatch(p -> p.outcome().startsWith("refused: storage-full")) ? Reason.STORAGE_FULL
                : placements.stream().anyMatch(p -> p.outcome().startsWith("refused: too-large")) ? Reason.TOO_LARGE
                : Reason.UNAVAILABLE;
        throw new PubliusException(reason, "only " + published.storedCount() + " of " + url.n()
                + " pieces could be stored, fewer than k = " + url.k() + "; nothing was published ("
                + summary(placements.stream().map(Placement::outcome).toList()) + ")");
    }

    // ------------------------------------------------------------------ retrieve

    /**
     * What one location answered and what the retrieval made of it.
     *
     * @param share    1-based index of the name in the URL
     * @param status   {@link #USED}, {@link #VERIFIED}, {@link #NOT_NEEDED}, {@link #BAD_SHARE},
     *                 {@link #CORRUPT_FILE}, {@link #MISSING}, {@link #UNREACHABLE}, {@link #UPDATE}
     *                 or {@link #IGNORED_UPDATE}
     */
    public record PieceReport(int share, PubliusName name, int location, String server, String status, String detail) {
    }

    /**
     * A retrieved document.
     *
     * @param url       the URL whose pieces gave the content (the last one when updates were followed)
     * @param followed  the URLs followed through update files, in order (empty if none)
     * @param pieces    what each location of {@code url} answered
     * @param requests  server requests made, over every URL followed
     */
    public record Retrieval(byte[] content, PubliusUrl url, List<PubliusUrl> followed, List<PieceReport> pieces, int requests) {
        public String mimeType() {
            return url.mimeType();
        }

        /** The servers whose shares rebuilt the key. */
        public List<String> serversUsed() {
            return pieces.stream().filter(p -> USED.equals(p.status())).map(PieceReport::server).distinct().toList();
        }
    }

    public Retrieval retrieve(PubliusUrl url) {
        List<PubliusUrl> followed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(url.toString());
        PubliusUrl current = url;
        int requests = 0;
        while (true) {
            List<Slot> slots = fetchPieces(current);
            requests += slots.size();
            Optional<PubliusUrl> next = agreedUpdate(current, slots);
            if (next.isEmpty()) {
                AtomicInteger downloads = new AtomicInteger();
                try {
                    Retrieval r = rebuild(current, slots, downloads);
                    return new Retrieval(r.content(), current, followed, r.pieces(), requests + downloads.get());
                }
                catch (PubliusException e) {
                    throw followed.isEmpty() ? e : new PubliusException(e.reason(), e.getMessage()
                            + " (after following " + followed.size() + " update(s) to " + current + ")", e.pieces());
                }
            }
            PubliusUrl target = next.get();
            if (!seen.add(target.toString()) || followed.size() >= params.maxUpdateHops()) {
                throw new PubliusException(Reason.UPDATE_LOOP, "update files lead " + (followed.size() >= params.maxUpdateHops()
                        ? "further than " + params.maxUpdateHops() + " hops" : "in a circle") + ", from " + url,
                        reports(slots));
            }
            followed.add(target);
            current = target;
        }
    }

    /** One name of the URL during a retrieval. */
    private static final class Slot {
        final int index;
        final PubliusName name;
        final int location;
        final String server;
        Piece piece;
        boolean unreachable;
        Share share;
        String status;
        String detail = "";

        Slot(int index, PubliusName name, int location, String server) {
            this.index = index;
            this.name = name;
            this.location = location;
            this.server = server;
        }

        /** Records what was found; the status shown is the most severe one. */
        void note(String status, String detail) {
            if (this.status == null || SEVERITY.indexOf(status) < SEVERITY.indexOf(this.status)) {
                this.status = status;
            }
            this.detail = this.detail.isEmpty() ? detail : this.detail + "; " + detail;
        }
    }

    private List<Slot> fetchPieces(PubliusUrl url) {
        List<PubliusName> names = url.names();
        return parallel(names.size(), i -> {
            PubliusName name = names.get(i);
            int location = name.location(m());
            Slot s = new Slot(i + 1, name, location, server(location));
            try {
                s.piece = peer.piece(s.server, name).orElse(null);
                if (s.piece == null) {
                    s.note(MISSING, "the server holds nothing under this name");
                }
            }
            catch (PeerUnavailableException e) {
                s.unreachable = true;
                s.note(UNREACHABLE, e.getMessage() == null ? "no answer" : e.getMessage());
            }
            catch (RefusedException e) {
                s.note(MISSING, "the server refused: " + e.getMessage());
            }
            return s;
        });
    }

    /** The URL that at least k update files agree on, unless the URL says no_update. */
    private Optional<PubliusUrl> agreedUpdate(PubliusUrl url, List<Slot> slots) {
        Map<String, Integer> votes = new HashMap<>();
        for (Slot s : slots) {
            if (s.piece == null || s.piece.update() == null) {
                continue;
            }
            if (url.noUpdate()) {
                s.note(IGNORED_UPDATE, "an update file, ignored: the URL says no_update");
                continue;
            }
            try {
                votes.merge(PubliusUrl.parse(s.piece.update()).toString(), 1, Integer::sum);
            }
            catch (IllegalArgumentException e) {
                s.note(IGNORED_UPDATE, "an update file that is not a Publius URL");
            }
        }
        Optional<String> agreed = votes.entrySet().stream().filter(e -> e.getValue() >= url.k())
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
        for (Slot s : slots) {
            if (s.piece != null && s.piece.update() != null && !url.noUpdate() && s.status == null) {
                boolean agrees = agreed.isPresent() && agreed.get().equals(s.piece.update().strip());
                s.note(agrees ? UPDATE : IGNORED_UPDATE, agrees ? "update file: followed to the new URL"
                        : "an update file fewer than k = " + url.k() + " servers agree on, ignored");
            }
        }
        return agreed.map(PubliusUrl::parse);
    }

    private Retrieval rebuild(PubliusUrl url, List<Slot> slots, AtomicInteger downloads) {
        List<Slot> candidates = new ArrayList<>();
        for (Slot s : slots) {
            if (s.piece == null || s.piece.share() == null) {
                if (s.piece != null && s.piece.update() == null && s.status == null) {
                    s.note(MISSING, "no share stored");
                }
                continue;
            }
            try {
                Share share = Share.decode(s.piece.share());
                if (share.index() > url.n() || share.value().length != PubliusCrypto.KEY_BYTES) {
                    throw new IllegalArgumentException("index " + share.index() + ", " + share.value().length + " bytes");
                }
                s.share = share;
                candidates.add(s);
            }
            catch (IllegalArgumentException e) {
                s.note(BAD_SHARE, "the share is malformed (" + e.getMessage() + ")");
            }
        }
        if (candidates.size() < url.k()) {
            throw failure(url, slots, "fewer than k = " + url.k() + " shares are available");
        }
        // copies of {M}K, grouped by the digest their servers claim, the most common claim first
        Map<String, List<Slot>> byClaim = new LinkedHashMap<>();
        slots.stream().filter(s -> s.piece != null && s.piece.hasFile())
                .forEach(s -> byClaim.computeIfAbsent(s.piece.fileSha256(), c -> new ArrayList<>()).add(s));
        List<List<Slot>> groups = byClaim.values().stream()
                .sorted(Comparator.comparingInt(g -> -g.size())).toList();
        AtomicInteger budget = new AtomicInteger(params.maxKeyAttempts());
        for (List<Slot> group : groups) {
            for (Slot holder : group) {
                byte[] file;
                try {
                    downloads.incrementAndGet();
                    file = peer.file(holder.server, holder.name);
                }
                catch (PeerUnavailableException e) {
                    holder.note(UNREACHABLE, "the file download failed: " + e.getMessage());
                    continue;
                }
                catch (RefusedException e) {
                    holder.note(CORRUPT_FILE, "the server lists a file but does not serve it");
                    continue;
                }
                String actual = PubliusCrypto.sha256Hex(file);
                if (!actual.equals(holder.piece.fileSha256())) {
                    holder.note(CORRUPT_FILE, "the file does not match the digest its server claims for it");
                    continue;
                }
                Optional<byte[]> content = solve(url, file, actual, candidates, budget);
                if (content.isPresent()) {
                    for (Slot s : slots) {
                        if (s.piece != null && s.piece.hasFile() && !actual.equals(s.piece.fileSha256())) {
                            s.note(CORRUPT_FILE, "its copy of {M}K differs from the one that decrypted");
                        }
                    }
                    return new Retrieval(content.get(), url, List.of(), reports(slots), 0);
                }
                holder.note(CORRUPT_FILE, "no k shares decrypt this copy of {M}K");
                // every other holder in the group claims this very file: try the next group
                break;
            }
            if (budget.get() <= 0) {
                break;
            }
        }
        throw failure(url, slots, budget.get() <= 0
                ? "no consistent k shares within " + params.maxKeyAttempts() + " attempts"
                : "no copy of {M}K decrypts with k consistent shares");
    }

    /** Tries k-subsets of the shares on one copy of {M}K; on success marks every share used, verified or bad. */
    private Optional<byte[]> solve(PubliusUrl url, byte[] file, String digest, List<Slot> candidates, AtomicInteger budget) {
        // shares from servers that hold this very file first: an honest server's share is likely good
        List<Slot> ordered = new ArrayList<>(candidates);
        ordered.sort(Comparator.comparingInt(s -> s.piece.hasFile() && digest.equals(s.piece.fileSha256()) ? 0 : 1));
        int k = url.k();
        int[] pick = IntStream.range(0, k).toArray();
        Scheme scheme = new Scheme(random, url.n(), k);
        while (budget.get() > 0) {
            Map<Integer, byte[]> parts = new HashMap<>();
            for (int p : pick) {
                Share s = ordered.get(p).share;
                parts.put(s.index(), s.value());
            }
            if (parts.size() == k) {
                budget.decrementAndGet();
                byte[] key = scheme.join(parts);
                Optional<byte[]> m = PubliusCrypto.decrypt(key, file);
                PubliusCrypto.wipe(key);
                if (m.isPresent()) {
                    MessageDigest hashOfM = PubliusCrypto.sha256Of(m.get());
                    boolean namesHold = IntStream.of(pick).allMatch(p -> PubliusName.of(hashOfM, ordered.get(p).share)
                            .equals(ordered.get(p).name));
                    if (namesHold) {
                        Set<Slot> used = new HashSet<>();
                        IntStream.of(pick).forEach(p -> used.add(ordered.get(p)));
                        for (Slot s : candidates) {
                            if (used.contains(s)) {
                                s.note(USED, "its share rebuilt K and recomputes its name");
                            }
                            else if (PubliusName.of(hashOfM, s.share).equals(s.name)) {
                                s.note(VERIFIED, "its share recomputes its name");
                            }
                            else {
                                s.note(BAD_SHARE, "its share does not recompute its name from M: corrupted or forged");
                            }
                        }
                        return m;
                    }
                }
            }
            if (!nextCombination(pick, ordered.size())) {
                break;
            }
        }
        return Optional.empty();
    }

    /** The next k-subset in lexicographic order; false after the last. */
    static boolean nextCombination(int[] pick, int size) {
        int k = pick.length;
        int i = k - 1;
        while (i >= 0 && pick[i] == size - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        pick[i]++;
        for (int j = i + 1; j < k; j++) {
            pick[j] = pick[j - 1] + 1;
        }
        return true;
    }

    private PubliusException failure(PubliusUrl url, List<Slot> slots, String why) {
        List<PieceReport> reports = reports(slots);
        long unreachable = slots.stream().filter(s -> s.unreachable).count();
        long missing = reports.stream().filter(r -> MISSING.equals(r.status())).count();
        String counts = summary(reports.stream().map(PieceReport::status).toList());
        if (missing == slots.size()) {
            return new PubliusException(Reason.NOT_FOUND, "no server holds any piece of " + url, reports);
        }
        if (unreachable > 0 && slots.size() - unreachable < url.k()) {
            return new PubliusException(Reason.UNAVAILABLE, why + ": " + unreachable + " of " + url.n()
                    + " locations are unreachable (" + counts + ")", reports);
        }
        if (unreachable + missing > 0 && reports.stream().noneMatch(r -> BAD_SHARE.equals(r.status()) || CORRUPT_FILE.equals(r.status()))) {
            return new PubliusException(unreachable > 0 ? Reason.UNAVAILABLE : Reason.NOT_FOUND,
                    why + " (" + counts + ")", reports);
        }
        return new PubliusException(Reason.TAMPERED, why + ": pieces are corrupted or forged (" + counts + ")", reports);
    }

    private static List<PieceReport> reports(List<Slot> slots) {
        return slots.stream().map(s -> new PieceReport(s.index, s.name, s.location, s.server,
                s.status == null ? NOT_NEEDED : s.status, s.detail)).toList();
    }

    /** "3 used, 7 corrupt-file": outcomes counted by their first word. */
    private static String summary(List<String> outcomes) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        outcomes.forEach(o -> counts.merge(o.contains(":") ? o.substring(0, o.indexOf(':')) : o, 1, Integer::sum));
        StringBuilder s = new StringBuilder();
        counts.forEach((k, v) -> s.append(s.isEmpty() ? "" : ", ").append(v).append(' ').append(k));
        return s.toString();
    }

    // ------------------------------------------------------------------ delete and update

    /** What one location answered: "deleted"/"updated", "wrong-password", "not-found", "unreachable", "refused: ...". */
    public record ServerOutcome(int share, PubliusName name, String server, String outcome) {
    }

    /** The servers' answers to a delete; {@code done}: how many removed their piece. */
    public record Deleted(PubliusUrl url, List<ServerOutcome> outcomes) {
        public long done() {
            return outcomes.stream().filter(o -> "deleted".equals(o.outcome())).count();
        }
    }

    /** An update: the new document, and the old locations' answers. */
    public record Updated(PubliusUrl oldUrl, Published published, List<ServerOutcome> outcomes) {
        public long done() {
            return outcomes.stream().filter(o -> "updated".equals(o.outcome())).count();
        }
    }

    /** Sends {@code H(server_domain . PW)} and {@code name_i} to each of the n servers. */
    public Deleted delete(PubliusUrl url, String password) {
        requirePassword(password);
        List<ServerOutcome> outcomes = onEachLocation(url, "deleted",
                (server, name) -> peer.delete(server, name, PubliusCrypto.passwordHash(domain(server), password)));
        Deleted d = new Deleted(url, outcomes);
        if (d.done() == 0) {
            throw nothingDone(url, outcomes, "deleted");
        }
        return d;
    }

    /**
     * The paper's update: publishes the new content (new URL, new password), then asks each old
     * location to replace its file and share with an update file holding the new URL. If no old
     * location accepts (wrong password, all gone), the new document is removed again.
     */
    public Updated update(PubliusUrl oldUrl, String password, String newPassword, byte[] content, String mimeType) {
        requirePassword(password);
        if (oldUrl.noUpdate()) {
            throw new PubliusException(Reason.NO_UPDATE, "the URL carries the no_update flag: this document cannot be updated");
        }
        Published published = publish(content, mimeType, oldUrl.n(), oldUrl.k(), oldUrl.k(), false, newPassword);
        String target = published.url().toString();
        List<ServerOutcome> outcomes = onEachLocation(oldUrl, "updated",
                (server, name) -> peer.update(server, name, PubliusCrypto.passwordHash(domain(server), password), target));
        Updated u = new Updated(oldUrl, published, outcomes);
        if (u.done() == 0) {
            quietly(() -> delete(published.url(), published.password()));
            throw nothingDone(oldUrl, outcomes, "updated");
        }
        return u;
    }

    private static void requirePassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new PubliusException(Reason.INVALID, "the password the document was published with is required");
        }
    }

    private List<ServerOutcome> onEachLocation(PubliusUrl url, String done, BiConsumer<String, PubliusName> call) {
        List<PubliusName> names = url.names();
        return parallel(names.size(), i -> {
            PubliusName name = names.get(i);
            String server = server(name.location(m()));
            String outcome;
            try {
                call.accept(server, name);
                outcome = done;
            }
            catch (PeerUnavailableException e) {
                outcome = UNREACHABLE;
            }
            catch (RefusedException e) {
                outcome = switch (e.refusal()) {
                    case WRONG_PASSWORD -> "wrong-password";
                    case NOT_FOUND -> "not-found";
                    default -> "refused: " + e.getMessage();
                };
            }
            return new ServerOutcome(i + 1, name, server, outcome);
        });
    }

    private static PubliusException nothingDone(PubliusUrl url, List<ServerOutcome> outcomes, String what) {
        String counts = summary(outcomes.stream().map(ServerOutcome::outcome).toList());
        if (outcomes.stream().anyMatch(o -> "wrong-password".equals(o.outcome()))) {
            return new PubliusException(Reason.WRONG_PASSWORD, "no server " + what + " its piece: the password does not match ("
                    + counts + "); nothing was changed");
        }
        if (outcomes.stream().allMatch(o -> "not-found".equals(o.outcome()))) {
            return new PubliusException(Reason.NOT_FOUND, "no server holds any piece of " + url);
        }
        return new PubliusException(Reason.UNAVAILABLE, "no server " + what + " its piece (" + counts + ")");
    }

    // ------------------------------------------------------------------ plumbing

    private <T> List<T> parallel(int count, Function<Integer, T> task) {
        List<CompletableFuture<T>> futures = IntStream.range(0, count)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> task.apply(i), executor)).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        }
        catch (RuntimeException ignored) {
            // best effort: the servers that missed it keep an unreachable piece
        }
    }
}
