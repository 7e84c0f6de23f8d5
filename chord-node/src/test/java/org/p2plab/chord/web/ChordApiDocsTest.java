package org.p2plab.chord.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.chord.LocalChordNodes;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The OpenAPI document a user sees in Swagger UI: JSON operations say application/json (not
 * "*&#47;*"), GET /dht says it returns the stored bytes in any type, and errors are problems.
 */
class ChordApiDocsTest {

    private static LocalChordNodes nodes;
    private static JsonNode docs;
    private static JsonNode paths;

    @BeforeAll
    static void start() {
        nodes = new LocalChordNodes();
        String base = LocalChordNodes.url(nodes.start(null));
        HttpResponse<byte[]> docs = nodes.get(base + "/v3/api-docs");
        assertThat(docs.statusCode()).isEqualTo(200);
        ChordApiDocsTest.docs = new ObjectMapper().readTree(docs.body());
        paths = ChordApiDocsTest.docs.get("paths");
    }

    @AfterAll
    static void stop() {
        nodes.close();
    }

    @Test
    void jsonOperationsDeclareJson() {
        assertThat(paths.at("/~1lookup~1{key}/get/responses/200/content").propertyNames()).containsExactly("application/json");
        assertThat(paths.at("/~1ring/get/responses/200/content").propertyNames()).containsExactly("application/json");
        assertThat(paths.at("/~1dht~1{key}/put/responses/201/content").propertyNames()).containsExactly("application/json");
    }

    @Test
    void noContentAnswersHaveNoBody() {
        assertThat(paths.at("/~1dht~1{key}/put/responses/204").isObject()).isTrue();
        assertThat(paths.at("/~1dht~1{key}/put/responses/204/content").isMissingNode()).isTrue();
        assertThat(paths.at("/~1dht~1{key}/delete/responses/204").isObject()).isTrue();
        assertThat(paths.at("/~1dht~1{key}/delete/responses").has("200")).isFalse();
    }

    @Test
    void getValueReturnsTheStoredBytesInAnyType() {
        JsonNode content = paths.at("/~1dht~1{key}/get/responses/200/content");
        assertThat(content.propertyNames()).containsExactly("*/*");
        assertThat(content.at("/*~1*/schema/format").asText()).isEqualTo("binary");
    }

    @Test
    void errorsAreProblems() {
        assertThat(paths.at("/~1lookup~1{key}/get/responses/default/$ref").asText()).isEqualTo("#/components/responses/Problem");
        assertThat(docs.at("/components/responses/Problem/content").propertyNames()).containsExactly("application/problem+json");
    }
}
