package org.p2plab.napster.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.p2plab.napster.protocol.DownloadTicket;
import org.p2plab.napster.protocol.IndexServer;
import org.p2plab.napster.protocol.LinkSpeed;
import org.p2plab.napster.protocol.SharedFile;

/** The index's REST bodies. */
public final class IndexViews {

    private IndexViews() {
    }

    public record RegisterRequest(
            @NotBlank @Schema(example = "alice", description = "letters, digits and _[]{}-@^!$, at most 50") String nick,
            @NotBlank @Size(max = 64) @Schema(example = "secret") String password,
            @Size(max = 254) @Schema(example = "alice@example.org") String email,
            @Min(0) @Max(10) @Schema(description = "0..10 (7: cable, 8: DSL, 10: T3)", example = "7") Integer linkSpeed) {
    }

    public record UserView(String nick, String email, int linkSpeed, String linkSpeedLabel, String level, Instant registered) {
    }

    public record LoginRequest(
            @NotBlank @Schema(example = "alice") String nick,
            @NotBlank @Size(max = 64) @Schema(example = "secret") String password,
            @Min(0) @Max(10) @Schema(description = "0..10; default: the one you last declared", example = "7") Integer linkSpeed,
            @Min(0) @Max(65535) @Schema(description = "the port you serve uploads on; 0: firewalled (you push)", example = "6699")
            Integer dataPort,
            @Size(max = 64) @Schema(example = "curl") String clientInfo,
            @Size(max = 254) String email,
            @Schema(description = "register the nick and log in (Napster's 6); 409 if it is taken") Boolean newUser) {
    }

    public record SessionView(String token, String nick, String email, String ip, int dataPort, int linkSpeed, Instant since,
                              long idleTtlSeconds) {
    }

    public record ShareRequest(
            @NotBlank @Size(max = SharedFile.MAX_PATH) @Schema(example = "C:\\mp3\\Beatles - Help.mp3") String path,
            @Size(max = 64) @Schema(description = "the content token; default: NOMD5COMPUTED") String md5,
            @NotNull @PositiveOrZero @Schema(example = "3483648") Long size,
            @PositiveOrZero @Schema(example = "128") Integer bitrate,
            @PositiveOrZero @Schema(example = "44100") Integer frequency,
            @PositiveOrZero @Schema(description = "seconds", example = "217") Integer length) {

        SharedFile toFile() {
            return new SharedFile(path, md5 == null || md5.isBlank() ? "NOMD5COMPUTED" : md5, size, bitrate == null ? 0 : bitrate,
                    frequency == null ? 0 : frequency, length == null ? 0 : length);
        }
    }

    public record SharesRequest(@NotNull @Valid List<ShareRequest> files) {
    }

    public record FileView(String path, String md5, long size, int bitrate, int frequency, int length) {

        static FileView of(SharedFile f) {
            return new FileView(f.path(), f.md5(), f.size(), f.bitrate(), f.frequency(), f.length());
        }
    }

    public record SharesView(String nick, int count, List<FileView> files) {
    }

    public record HitView(String nick, String path, String md5, long size, int bitrate, int frequency, int length, String ip,
                          long napsterIp, int linkSpeed, int dataPort, boolean firewalled) {
    }

    public record SearchView(String query, List<String> words, int count, List<HitView> hits) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WhoisView(String nick, String level, boolean online, Long secondsOnline, Integer shared, Integer downloading,
                            Integer uploading, int linkSpeed, String linkSpeedLabel, String clientInfo, long totalDownloads,
                            long totalUploads, Instant lastSeen) {

        static WhoisView of(IndexServer.Whois w) {
            boolean on = w.online();
            return new WhoisView(w.nick(), w.level(), on, on ? w.secondsOnline() : null, on ? w.shared() : null,
                    on ? w.downloading() : null, on ? w.uploading() : null, w.linkSpeed(), LinkSpeed.of(w.linkSpeed()).label(),
                    w.clientInfo(), w.totalDownloads(), w.totalUploads(), on ? null : w.lastSeen());
        }
    }

    public record HotlistView(String nick, Map<String, Boolean> watching) {
    }

    public record DownloadRequest(@NotBlank @Schema(example = "bob") String nick,
                                  @NotBlank @Schema(example = "C:\\mp3\\Beatles - Help.mp3") String path) {
    }

    public record AcceptRequest(@NotBlank @Schema(description = "the downloader", example = "alice") String nick,
                                @NotBlank String path) {
    }

    public record DownloadView(String nick, String ip, int port, String path, String md5, long size, int linkSpeed, boolean push,
                               String how) {

        static DownloadView of(DownloadTicket t) {
            String how = t.push() ? t.nick() + " is firewalled: it was asked to connect to your data port and SEND the file"
                    : "connect to " + t.ip() + ":" + t.port() + ", read '1', send GET then <your nick> \"<path>\" <offset>";
            return new DownloadView(t.nick(), t.ip(), t.port(), t.path(), t.md5(), t.size(), t.linkSpeed(), t.push(), how);
        }
    }

    public record StatsView(int users, int files, long bytes, long gigabytes, long registered, long logins, long searches,
                            long downloadsBrokered, long pushes, int tcpConnections, int napsterPort) {
    }
}
