package org.p2plab.anycast.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.p2plab.anycast.LocalAnycastNodes.GROUP_IN_PATH;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2plab.anycast.LocalAnycastNodes;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Bad input on the resolver's and the content server's APIs: a clear RFC 9457 problem (4xx), and nothing lost. */
class AnycastBadInputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalAnycastNodes nodes = new LocalAnycastNodes();
    private static String resolver;
    private static String content;

    @BeforeAll
    static void aResolverAndTwoServers() {
        ConfigurableApplicationContext r = nodes.resolver("p2plab.anycast.domains=cc.gatech.edu");
        resolver = LocalAnycastNodes.url(r);
        content = LocalAnycastNodes.url(nodes.content(r, "0ms"));
        LocalAnycastNodes.url(nodes.content(r, "0ms"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(nodes.json(resolver + "/groups/" + GROUP_IN_PATH + "/metrics")).hasSize(2));
    }

    @AfterAll
    static void nothingLost() {
        assertThat(nodes.json(resolver + "/groups/" + GROUP_IN_PATH)).as("both members survive").hasSize(2);
        assertThat(nodes.json(resolver + "/resolve/" + GROUP_IN_PATH).path("chosen").path("url").asString()).startsWith("http://127.0.0.1:");
        nodes.close();
    }

    private static HttpResponse<byte[]> post(String url, String json) {
        return nodes.send("POST", url, json == null ? null : json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    private static JsonNode problem(HttpResponse<byte[]> r, int status, String kind) {
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as(text).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).as(text)
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.path("type").asString()).as(text).isEqualTo("urn:p2plab:problem:" + kind);
        assertThat(p.path("detail").asString()).isNotBlank();
        return p;
    }

    @Test
    void malformedAdns() {
        for (String bad : List.of("Daily-News", "%25cc.gatech.edu", "Daily-News%25", "Daily%20News%25cc.gatech.edu",
                "a.b.Daily-News%25cc.gatech.edu", "Daily-News%25cc..gatech.edu", "Daily-News%25-cc.gatech.edu",
                "x".repeat(300) + "%25cc.gatech.edu", "Daily-News%25cc.gatech.edu%25more")) {
            problem(nodes.get(resolver + "/resolve/" + bad), 400, "invalid-adn");
            problem(nodes.get(resolver + "/groups/" + bad + "/metrics"), 400, "invalid-adn");
            problem(post(resolver + "/groups", "{\"adn\": \"" + bad.replace("%25", "%") + "\"}"), 400, "invalid-adn");
        }
        // a '%' not written %25: "%cc" is no UTF-8 escape; the web server refuses it and says how to write it
        for (String raw : List.of("/resolve/Daily-News%cc.gatech.edu", "/resolve/%cc.gatech.edu")) {
            assertThat(problem(nodes.get(resolver + raw), 400, "malformed-uri").path("detail").asString()).contains("%25");
        }
        problem(post(resolver + "/groups", "{}"), 400, "invalid-adn");
        problem(post(resolver + "/groups", "{\"adn\": 7"), 400, "malformed-body");
    }

    @Test
    void unknownGroupsFiltersAndMembers() {
        problem(nodes.get(resolver + "/resolve/Weekly-News%25cc.gatech.edu"), 404, "unknown-group");
        problem(nodes.get(resolver + "/groups/Weekly-News%25cc.gatech.edu/metrics"), 404, "unknown-group");
        problem(post(resolver + "/groups/Weekly-News%25cc.gatech.edu/members", "{\"url\": \"http://127.0.0.1:1\"}"), 404, "unknown-group");
        problem(nodes.send("DELETE", resolver + "/groups/Weekly-News%25cc.gatech.edu", null, null), 404, "unknown-group");
        problem(nodes.get(resolver + "/resolve/" + GROUP_IN_PATH + "?filter=fastest"), 400, "unknown-filter");
        problem(nodes.get(resolver + "/resolve/Fastest." + GROUP_IN_PATH), 400, "unknown-filter");
        problem(nodes.send("DELETE", resolver + "/groups/" + GROUP_IN_PATH + "/members/99", null, null), 404, "unknown-member");
        // another domain: this resolver is not authoritative and knows no resolver for it
        problem(post(resolver + "/groups", "{\"adn\": \"News%example.org\"}"), 422, "not-authoritative");
        problem(nodes.get(resolver + "/resolve/News%25example.org"), 404, "unknown-group");
        problem(post(resolver + "/groups", "{\"adn\": \"Daily-News%cc.gatech.edu\"}"), 409, "group-exists");
    }

    @Test
    void badMembersAndPeerMessages() {
        String members = resolver + "/groups/" + GROUP_IN_PATH + "/members";
        for (String url : List.of("127.0.0.1:8080", "ftp://127.0.0.1/", "http://", "http://127.0.0.1:1/?q=1", "not a url")) {
            problem(post(members, "{\"url\": \"" + url + "\"}"), 400, "invalid-url");
        }
        problem(post(members, "{}"), 400, "missing-parameter");
        problem(post(members, "{\"url\": \"http://127.0.0.1:1\", \"cost\": -1}"), 400, "invalid-parameter");
        problem(post(members, "[1, 2]"), 400, "malformed-body");
        problem(post(resolver + "/peer/push", "{\"adn\": \"Daily-News%cc.gatech.edu\", \"url\": \"http://127.0.0.1:1\", \"tufrMillis\": -5}"),
                400, "validation");
        problem(post(resolver + "/peer/push", "{\"adn\": \"Daily-News%cc.gatech.edu\", \"url\": \"http://127.0.0.1:1\", \"tufrMillis\": 5}"),
                404, "unknown-member");
        problem(post(resolver + "/peer/push", "{\"adn\": \"Daily-News\", \"url\": \"http://127.0.0.1:1\", \"tufrMillis\": 5}"),
                400, "invalid-adn");
        problem(post(resolver + "/peer/register", "{\"adn\": \"News%example.org\", \"url\": \"http://127.0.0.1:1\"}"), 422, "not-authoritative");
        problem(nodes.get(resolver + "/peer/groups/Weekly-News%25cc.gatech.edu"), 404, "unknown-group");
    }

    @Test
    void theContentServersApi() {
        problem(nodes.get(content + "/content/nothing.html"), 404, "no-such-file");
        problem(nodes.get(content + "/content/..%2F..%2Fetc%2Fpasswd"), 400, "malformed-uri");
        problem(nodes.get(content + "/content/%2e%2e/%2e%2e/etc/passwd"), 400, "malformed-uri");
        problem(nodes.send("PUT", content + "/server", "{\"artificialDelayMillis\": -1}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "invalid-parameter");
        problem(nodes.send("PUT", content + "/server", "{\"loadFactor\": 1e9}".getBytes(StandardCharsets.UTF_8),
                "application/json"), 400, "invalid-parameter");
        // each role's API on an instance without it
        problem(nodes.get(content + "/resolve/" + GROUP_IN_PATH), 404, "role-disabled");
        problem(nodes.get(resolver + "/probe"), 404, "role-disabled");
        assertThat(nodes.json(content + "/server").path("artificialDelayMillis").asLong()).isZero();
    }
}
