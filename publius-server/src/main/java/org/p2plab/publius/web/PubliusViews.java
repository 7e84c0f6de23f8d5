package org.p2plab.publius.web;

import java.util.List;
import java.util.function.Function;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import org.p2plab.publius.protocol.PubliusClient;
import org.p2plab.publius.protocol.Site;

/** The bodies of the client's user API. */
public final class PubliusViews {

    private PubliusViews() {
    }

    @Schema(description = "Where one share went")
    public record PlacementView(int share, String name, int location, String server, String outcome) {
        static PlacementView of(PubliusClient.Placement p) {
            return new PlacementView(p.share(), p.name().hex(), p.location(), p.server(), p.outcome());
        }
    }

    @Schema(description = "A published document")
    public record PublishedView(
            @Schema(description = "The Publius URL: give it to readers") String url,
            @Schema(description = "The password that deletes and updates it: keep it") String password,
            int n, int k, int m,
            @Schema(description = "Pieces stored (at least k; the placements say what happened to the others)") long stored,
            @Schema(description = "Keys drawn until d distinct locations came out") int keyAttempts,
            @Schema(description = "This client's link that retrieves it") String retrieve,
            List<PlacementView> placements) {
    }

    @Schema(description = "What one location answered during a retrieval")
    public record PieceView(int share, String name, int location, String server,
                            @Schema(description = "used, verified, not-needed, bad-share, corrupt-file, missing, unreachable, update, ignored-update")
                            String status, String detail) {
        static PieceView of(PubliusClient.PieceReport r) {
            return new PieceView(r.share(), r.name().hex(), r.location(), r.server(), r.status(), r.detail());
        }

        static List<PieceView> all(List<PubliusClient.PieceReport> reports) {
            return reports.stream().map(PieceView::of).toList();
        }
    }

    @Schema(description = "How a document was retrieved (the document itself: GET /retrieve)")
    public record InspectionView(String url,
                                 @Schema(description = "The URL whose pieces gave the content, after update files") String resolvedUrl,
                                 List<String> followed, String mimeType, long size,
                                 @Schema(description = "Server requests made") int requests,
                                 List<PieceView> pieces) {
    }

    @Schema(description = "Delete a document from its servers")
    public record DeleteRequest(@NotBlank String url, @NotBlank String password) {
    }

    @Schema(description = "One location's answer to a delete or update")
    public record OutcomeView(int share, String name, String server,
                              @Schema(description = "deleted/updated, wrong-password, not-found, unreachable, refused: ...") String outcome) {
        static List<OutcomeView> all(List<PubliusClient.ServerOutcome> outcomes) {
            return outcomes.stream().map(o -> new OutcomeView(o.share(), o.name().hex(), o.server(), o.outcome())).toList();
        }
    }

    public record DeletedView(String url, long deleted, List<OutcomeView> outcomes) {
    }

    @Schema(description = "An update: the old URL now leads to the new document")
    public record UpdatedView(String oldUrl,
                              @Schema(description = "The new document's own URL") String url,
                              @Schema(description = "The password of the new document") String password,
                              @Schema(description = "Old locations that now hold an update file") long updated,
                              List<OutcomeView> outcomes) {
    }

    @Schema(description = "One server of the static list")
    public record ServerView(int location, String url, boolean reachable, Long names, Long storedBytes,
                             Long maxStoredBytes, String error) {
    }

    public record ServersView(int m, long reachable, List<ServerView> servers) {
    }

    @Schema(description = "A published directory: each file's URL; links between them lead to each other")
    public record SiteView(String password, String index, List<SiteFileView> files) {
        static SiteView of(Site.Published site, Function<String, String> retrieveLink) {
            return new SiteView(site.password(), site.index().map(e -> retrieveLink.apply(e.url().toString())).orElse(null),
                    site.files().stream().map(e -> new SiteFileView(e.path(), e.url().toString(), e.linksRewritten(),
                            retrieveLink.apply(e.url().toString()))).toList());
        }
    }

    public record SiteFileView(String path, String url, int linksRewritten, String retrieve) {
    }
}
