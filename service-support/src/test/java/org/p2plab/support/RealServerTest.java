package org.p2plab.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.openapi.ApiTagsCustomizer;
import org.p2plab.support.testapp.TestApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Over a real socket, through Tomcat: what MockMvc cannot see (Tomcat's own rejections, /error,
 * the request-size filter on the wire, multipart limits, virtual threads, the actuator and
 * OpenAPI endpoints as a client sees them).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
class RealServerTest {

    private static final String P = "urn:p2plab:problem:";

    @LocalServerPort
    int port;

    @Autowired
    RestTestClient client;

    @Autowired
    P2pMetrics metrics;

    @Autowired
    Environment environment;

    private static JsonNode json(String body) {
        return JsonMapper.shared().readTree(body);
    }

    private static JsonNode assertProblem(RawHttp.Response response, int status, String kind) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(MediaType.parseMediaType(response.header("Content-Type")).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("Content-Type of %s", response).isTrue();
        JsonNode problem = json(response.body());
        assertThat(problem.get("type").asString()).isEqualTo(P + kind);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        return problem;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/echo/%zz", "/echo/%", "/echo/%2", "/echo/%2F", "/echo/%00", "/echo/%C0%AF"})
    void brokenPercentEncodingIs400ProblemNotTomcatsHtmlPage(String path) throws Exception {
        RawHttp.Response response = RawHttp.get(port, path);
        JsonNode problem = assertProblem(response, 400, "malformed-uri");
        assertThat(problem.get("instance").asString()).startsWith("/echo/");
        assertThat(response.body()).doesNotContain("<html");
    }

    @Test
    void validPercentEncodingStillWorks() throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/echo/a%20b%25c");
        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response.body()).get("word").asString()).isEqualTo("a b%c");
    }

    @Test
    void exceptionThrownInAFilterReachesErrorAndIsAProblemWithoutTheMessage() throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/filter-boom");
        JsonNode problem = assertProblem(response, 500, "internal-error");
        assertThat(problem.get("instance").asString()).isEqualTo("/filter-boom");
        assertThat(problem.get("errorId").asString()).matches("[0-9a-f]{16}");
        assertThat(response.body()).doesNotContain("abc123").doesNotContain("IllegalStateException");
    }

    @Test
    void sendErrorIsRenderedByTheErrorControllerAsProblem() throws Exception {
        RawHttp.Response response = RawHttp.get(port, "/send-error");
        JsonNode problem = assertProblem(response, 409, "conflict");
        assertThat(problem.get("detail").asString()).isEqualTo("This node has already joined a ring.");
        assertThat(problem.get("instance").asString()).isEqualTo("/send-error");
    }

    @Test
    void errorPathItselfAnswersProblemJson() throws Exception {
        RawHttp.Response response = RawHttp.send(port,
                "GET /error HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close", null);
        assertProblem(response, 500, "internal-error");
    }

    @Test
    void unknownPathForABrowserIsProblemJson() throws Exception {
        RawHttp.Response response = RawHttp.send(port,
                "GET /missing HTTP/1.1\r\nHost: localhost\r\nAccept: text/html,*/*;q=0.8\r\nConnection: close", null);
        assertProblem(response, 404, "not-found");
    }

    @Test
    void declaredContentLengthOverTheLimitIs413BeforeTheBodyIsRead() throws Exception {
        // limit in tests: 4KB; the body is declared but never sent: the filter answers on the headers alone
        RawHttp.Response response = RawHttp.send(port, "POST /items HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10000000\r\nConnection: close", null);
        JsonNode problem = assertProblem(response, 413, "payload-too-large");
        assertThat(problem.get("maxBytes").asLong()).isEqualTo(4096);
        assertThat(problem.get("instance").asString()).isEqualTo("/items");
    }

    @Test
    void chunkedBodyOverTheLimitIs413WhileReading() throws Exception {
        byte[] chunk = "y".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < 6; i++) { // 6000 bytes > 4096
            body.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            body.write(chunk);
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        RawHttp.Response response = RawHttp.send(port, "POST /text HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close", body.toByteArray());
        JsonNode problem = assertProblem(response, 413, "payload-too-large");
        assertThat(problem.get("maxBytes").asLong()).isEqualTo(4096);
    }

    @Test
    void chunkedBodyUnderTheLimitIsAccepted() throws Exception {
        String chunk = "z".repeat(100);
        String body = Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n";
        RawHttp.Response response = RawHttp.send(port, "POST /text HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close",
                body.getBytes(StandardCharsets.US_ASCII));
        assertThat(response.status()).isEqualTo(200);
        assertThat(json(response.body()).get("length").asInt()).isEqualTo(100);
    }

    @Test
    void multipartFileOverTheUploadLimitIs413() throws Exception {
        // under the 4KB request limit, over spring.servlet.multipart.max-file-size=1KB
        String boundary = "p2plabBoundary";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "b".repeat(2048) + "\r\n--" + boundary + "--\r\n";
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        RawHttp.Response response = RawHttp.send(port, "POST /upload HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close", bytes);
        assertProblem(response, 413, "payload-too-large");
    }

    @Test
    void requestsRunOnVirtualThreads() {
        client.get().uri("/thread").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.virtual").isEqualTo(true);
    }

    @Test
    void problemsThroughRestTestClient() {
        client.get().uri("/peer-down").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "1")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo(P + "peer-unavailable");
    }

    @Test
    void prometheusScrapeHasP2pMetersWithCommonTags() {
        metrics.recordLookup("chord", "get", P2pMetrics.FOUND, Duration.ofMillis(12), 3);
        metrics.message("chord", "find_successor", P2pMetrics.OUT);
        metrics.gauge("p2p.chord.fingers", "chord", () -> 7);

        String scrape = client.get().uri("/actuator/prometheus").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        List<String> lines = scrape.lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith("p2p_lookup_seconds_bucket{"))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("application=\"support-test\"", "instance=\"test-1\""))
                .anySatisfy(l -> assertThat(l).contains("system=\"chord\"", "operation=\"get\"", "outcome=\"found\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("p2p_lookup_hops_bucket{")
                .contains("application=\"support-test\"", "instance=\"test-1\"", "system=\"chord\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("p2p_messages_total{")
                .contains("direction=\"out\"", "type=\"find_successor\"", "instance=\"test-1\""));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("p2p_chord_fingers{")
                .contains("system=\"chord\"", "application=\"support-test\"").endsWith(" 7.0"));
        // Boot's own meters get the common tags too
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("jvm_threads_live_threads{")
                .contains("application=\"support-test\"", "instance=\"test-1\""));
    }

    @Test
    void healthProbesAreExposed() {
        client.get().uri("/actuator/health/liveness").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void openApiDocumentHasMetadataTagsAndProblemSchema() {
        String body = client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        JsonNode doc = json(body);
        assertThat(doc.at("/info/title").asString()).isEqualTo("support-test");
        assertThat(doc.at("/info/description").asString()).isEqualTo("The service-support test application");
        assertThat(doc.at("/info/version").asString()).isEqualTo("dev");
        assertThat(tags(doc, "/peer/ping")).containsExactly(ApiTagsCustomizer.PEER_API);
        assertThat(tags(doc, "/peer/protocol")).containsExactly(ApiTagsCustomizer.PEER_API);
        assertThat(tags(doc, "/numbers/{n}")).containsExactly(ApiTagsCustomizer.USER_API);
        assertThat(tags(doc, "/search")).containsExactly(ApiTagsCustomizer.USER_API);
        assertThat(tags(doc, "/admin/status")).containsExactly("admin"); // explicit @Tag is kept
        assertThat(doc.at("/tags").valueStream().map(t -> t.get("name").asString()))
                .contains(ApiTagsCustomizer.USER_API, ApiTagsCustomizer.PEER_API);
        assertThat(doc.at("/components/schemas/Problem/properties/type/format").asString()).isEqualTo("uri");
        assertThat(doc.at("/paths/~1numbers~1{n}/get/responses/default/$ref").asString())
                .isEqualTo("#/components/responses/Problem");
    }

    private static List<String> tags(JsonNode doc, String path) {
        JsonNode operation = doc.get("paths").get(path).get("get");
        assertThat(operation).as("GET %s in the OpenAPI document", path).isNotNull();
        return operation.get("tags").valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void defaultsAreInEffectAndOverridable() {
        assertThat(environment.getProperty("spring.threads.virtual.enabled")).isEqualTo("true");
        assertThat(environment.getProperty("server.forward-headers-strategy")).isEqualTo("framework");
        assertThat(environment.getProperty("management.endpoint.health.show-details")).isEqualTo("always");
        // the test application.properties overrides the derived multipart default
        assertThat(environment.getProperty("spring.servlet.multipart.max-file-size")).isEqualTo("1KB");
        assertThat(environment.getProperty("spring.servlet.multipart.max-request-size")).isEqualTo("4KB");
    }
}
