package org.p2plab.support.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class ProblemExceptionTest {

    @Test
    void factoriesSetStatusKindAndTitle() {
        assertThat(ProblemException.notFound("gone").getBody().getType())
                .isEqualTo(URI.create("urn:p2plab:problem:not-found"));
        assertThat(ProblemException.notFound("no-such-key", "x").status()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(ProblemException.badRequest("key-out-of-range", "x").status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(ProblemException.conflict("x").kind()).isEqualTo("conflict");
        assertThat(ProblemException.payloadTooLarge("x").status().value()).isEqualTo(413);
        assertThat(ProblemException.badGateway("x").kind()).isEqualTo("bad-gateway");
        ProblemException unavailable = ProblemException.serviceUnavailable("no-live-successor", "ring broken", 2);
        assertThat(unavailable.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(unavailable.retryAfterSeconds()).hasValue(2);
        assertThat(unavailable.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(unavailable.title()).isEqualTo("No live successor");
        assertThat(unavailable.getMessage()).isEqualTo("ring broken");
    }

    @Test
    void bodyCarriesExtensionMembers() {
        ProblemDetail body = ProblemException.notFound("no-such-key", "No value under k").with("key", "k").getBody();
        assertThat(body.getStatus()).isEqualTo(404);
        assertThat(body.getTitle()).isEqualTo("No such key");
        assertThat(body.getDetail()).isEqualTo("No value under k");
        assertThat(body.getProperties()).containsEntry("key", "k");
    }

    @Test
    void kindsAndMembersAreValidated() {
        assertThatIllegalArgumentException().isThrownBy(() -> ProblemException.badRequest("Bad Key", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProblemException.badRequest("", "x"));
        assertThatIllegalArgumentException().isThrownBy(() -> ProblemException.notFound("x").with("status", 1));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ProblemException(HttpStatus.OK, "fine", null, "not a problem"));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ProblemException.serviceUnavailable("later", "x", -1));
    }

    @Test
    void kindOfReadsBackOurTypesOnly() {
        assertThat(ProblemKinds.kindOf(URI.create("urn:p2plab:problem:validation"))).isEqualTo("validation");
        assertThat(ProblemKinds.kindOf(URI.create("about:blank"))).isNull();
        assertThat(ProblemKinds.forStatus(HttpStatus.TOO_MANY_REQUESTS)).isEqualTo("too-many-requests");
    }
}
