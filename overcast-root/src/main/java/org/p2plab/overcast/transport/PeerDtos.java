package org.p2plab.overcast.transport;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.p2plab.overcast.content.ContentItem;
import org.p2plab.overcast.protocol.Certificate;
import org.p2plab.overcast.protocol.UpDown;

/** The bodies of the /peer API. */
public final class PeerDtos {

    private PeerDtos() {
    }

    /** A birth or death certificate on the wire. */
    public record CertificateDto(
            @NotNull @Schema(example = "BIRTH") Certificate.Type type,
            @NotBlank @Size(max = 2000) @Schema(example = "http://127.0.0.1:8185") String node,
            @NotBlank @Size(max = 2000) @Schema(example = "http://127.0.0.1:8085") String parent,
            @Min(0) @Schema(example = "1764000000000") long seq) {

        public static CertificateDto of(Certificate c) {
            return new CertificateDto(c.type(), c.node(), c.parent(), c.seq());
        }

        public Certificate toCertificate() {
            return new Certificate(type, node, parent, seq);
        }
    }

    /** A child's check-in: its lease is renewed, its certificates go up. */
    public record CheckInRequest(
            @NotBlank @Size(max = 2000) @Schema(example = "http://127.0.0.1:8185") String node,
            @Min(0) @Schema(example = "1764000000000") long seq,
            @NotNull @Size(max = 10_000) List<@Valid @NotNull CertificateDto> certificates,
            @Schema(description = "the child is a linear root (absent: false)") Boolean linearRoot) {

        public static CheckInRequest of(UpDown.CheckIn c, boolean linearRoot) {
            return new CheckInRequest(c.node(), c.seq(), c.certificates().stream().map(CertificateDto::of).toList(),
                    linearRoot ? Boolean.TRUE : null);
        }

        public boolean isLinearRoot() {
            return Boolean.TRUE.equals(linearRoot);
        }

        public UpDown.CheckIn toCheckIn() {
            return new UpDown.CheckIn(node, seq, certificates.stream().map(CertificateDto::toCertificate).toList());
        }
    }

    /** The parent's answer: its ancestors and itself, root first. */
    public record CheckInReply(@Schema(example = "[\"http://127.0.0.1:8085\"]") List<String> ancestors) {
    }

    /** A content item: the catalog entry a child pulls by. */
    public record ItemDto(
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") @Schema(example = "lecture") String group,
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") @Schema(example = "intro.mp4") String name,
            @Min(0) @Schema(example = "1048576") long size,
            @Schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") String sha256,
            @Schema(example = "1764000000000") long publishedAt) {

        public static ItemDto of(ContentItem i) {
            return new ItemDto(i.group(), i.name(), i.size(), i.sha256(), i.publishedAt());
        }

        public ContentItem toItem() {
            return new ContentItem(group, name, size, sha256, publishedAt);
        }
    }
}
