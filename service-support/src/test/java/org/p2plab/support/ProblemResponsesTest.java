package org.p2plab.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.p2plab.support.testapp.TestApplication;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Every kind of bad input answers application/problem+json with its stable type (through MVC). */
@SpringBootTest(classes = TestApplication.class)
@AutoConfigureMockMvc
class ProblemResponsesTest {

    private static final String P = "urn:p2plab:problem:";

    @Autowired
    MockMvc mvc;

    private ResultActions problem(MockHttpServletRequestBuilder request, int status, String kind, String instance)
            throws Exception {
        return mvc.perform(request)
                .andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(P + kind))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.title").isNotEmpty())
                .andExpect(jsonPath("$.detail").isNotEmpty())
                .andExpect(jsonPath("$.instance").value(instance));
    }

    private static MockHttpServletRequestBuilder postJson(String path, String json) {
        return post(path).contentType(MediaType.APPLICATION_JSON).content(json);
    }

    @Test
    void malformedJsonIsMalformedBody() throws Exception {
        problem(postJson("/items", "{\"name\": \"a\", "), 400, "malformed-body", "/items")
                .andExpect(jsonPath("$.title").value("Malformed request body"))
                .andExpect(jsonPath("$.detail").value(Matchers.startsWith("The request body is not valid JSON")));
    }

    @Test
    void wrongJsonValueTypeIsMalformedBodyNamingTheField() throws Exception {
        problem(postJson("/items", "{\"name\": \"a\", \"size\": \"big\"}"), 400, "malformed-body", "/items")
                .andExpect(jsonPath("$.field").value("size"))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("'size'")));
    }

    @Test
    void missingBodyIsMissingParameter() throws Exception {
        problem(post("/items").contentType(MediaType.APPLICATION_JSON), 400, "missing-parameter", "/items")
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("body is missing")))
                // Spring's own message names the controller method: it must not leak
                .andExpect(jsonPath("$.detail").value(Matchers.not(Matchers.containsString("TestController"))));
    }

    @Test
    void unconvertiblePathVariableIsInvalidParameter() throws Exception {
        problem(get("/numbers/abc"), 400, "invalid-parameter", "/numbers/abc")
                .andExpect(jsonPath("$.parameter").value("n"))
                .andExpect(jsonPath("$.detail").value("Parameter 'n' must be a valid int; got 'abc'."));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() throws Exception {
        problem(get("/search").param("q", "x").param("mode", "SLOW"), 400, "invalid-parameter", "/search")
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("[FAST, SAFE]")));
    }

    @Test
    void missingQueryParameterIsMissingParameter() throws Exception {
        problem(get("/search"), 400, "missing-parameter", "/search")
                .andExpect(jsonPath("$.parameter").value("q"));
    }

    @Test
    void invalidBodyIsValidationWithTheFailingFields() throws Exception {
        problem(postJson("/items", "{\"name\": \"\", \"size\": 11}"), 400, "validation", "/items")
                .andExpect(jsonPath("$.title").value("Validation failed"))
                .andExpect(jsonPath("$.errors.length()").value(2))
                .andExpect(jsonPath("$.errors[*].field", Matchers.containsInAnyOrder("name", "size")))
                .andExpect(jsonPath("$.errors[?(@.field == 'size')].message").value("must be less than or equal to 10"));
    }

    @Test
    void invalidRequestParameterIsMethodValidation() throws Exception {
        problem(get("/bounded").param("size", "0"), 400, "validation", "/bounded")
                .andExpect(jsonPath("$.errors[0].field").value("size"))
                .andExpect(jsonPath("$.errors[0].message").value("must be greater than or equal to 1"));
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        problem(get("/no/such/endpoint"), 404, "not-found", "/no/such/endpoint")
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("GET /no/such/endpoint")));
    }

    @Test
    void wrongMethodIsMethodNotAllowedWithAllowHeader() throws Exception {
        problem(delete("/numbers/1"), 405, "method-not-allowed", "/numbers/1")
                .andExpect(header().string("Allow", Matchers.containsString("GET")))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("use GET")));
    }

    @Test
    void wrongContentTypeIsUnsupportedMediaType() throws Exception {
        problem(post("/items").contentType(MediaType.TEXT_PLAIN).content("hello"), 415, "unsupported-media-type", "/items")
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("application/json")));
    }

    @Test
    void unproducibleAcceptIsNotAcceptableButStillProblemJson() throws Exception {
        problem(get("/items/1").accept(MediaType.parseMediaType("text/csv")), 406, "not-acceptable", "/items/1");
    }

    @Test
    void htmlClientsGetProblemJsonToo() throws Exception {
        problem(get("/nope").accept(MediaType.TEXT_HTML), 404, "not-found", "/nope");
    }

    @Test
    void declaredContentLengthOverTheLimitIsRejectedByTheFilter() throws Exception {
        String big = "{\"name\": \"" + "x".repeat(5000) + "\", \"size\": 1}"; // limit in tests: 4KB
        problem(postJson("/items", big), 413, "payload-too-large", "/items")
                .andExpect(jsonPath("$.maxBytes").value(4096));
    }

    @Test
    void unexpectedExceptionIsInternalErrorWithoutItsMessage() throws Exception {
        String body = problem(get("/boom"), 500, "internal-error", "/boom")
                .andExpect(jsonPath("$.errorId").value(Matchers.matchesPattern("[0-9a-f]{16}")))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).doesNotContain("hunter2").doesNotContain("IllegalStateException");
    }

    @Test
    void peerUnavailableIs503WithRetryAfter() throws Exception {
        problem(get("/peer-down"), 503, "peer-unavailable", "/peer-down")
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.peer").value("http://127.0.0.1:9"));
    }

    @Test
    void illegalArgumentIsBadRequestWithItsMessage() throws Exception {
        problem(get("/bad-argument"), 400, "bad-request", "/bad-argument")
                .andExpect(jsonPath("$.detail").value("key must be 40 hex digits"));
    }

    @Test
    void problemExceptionKeepsItsKindPropertiesAndRetryAfter() throws Exception {
        problem(get("/no-route"), 503, "no-live-successor", "/no-route")
                .andExpect(header().string("Retry-After", "5"))
                .andExpect(jsonPath("$.title").value("No live successor"))
                .andExpect(jsonPath("$.successors").value(0));
        problem(get("/keys/abc"), 404, "no-such-key", "/keys/abc")
                .andExpect(jsonPath("$.key").value("abc"))
                .andExpect(jsonPath("$.detail").value("No value is stored under key abc."));
    }

    @Test
    void peerUnavailableWrappedByAFutureIsStill503() throws Exception {
        problem(get("/fan-out"), 503, "peer-unavailable", "/fan-out")
                .andExpect(header().string("Retry-After", "1"))
                .andExpect(jsonPath("$.peer").value("http://127.0.0.1:7"));
    }

    @Test
    void peerRejectionEscapingAControllerIsBadGateway() throws Exception {
        problem(get("/peer-rejects"), 502, "peer-rejected", "/peer-rejects")
                .andExpect(jsonPath("$.peerStatus").value(400))
                .andExpect(jsonPath("$.peerType").value("urn:p2plab:problem:bad-request"))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("key too long")));
    }

    @Test
    void constraintViolationFromAServiceIsValidation() throws Exception {
        problem(get("/service-validation"), 400, "validation", "/service-validation")
                .andExpect(jsonPath("$.errors[*].field", Matchers.containsInAnyOrder("name", "size")));
    }

    @Test
    void responseStatusAnnotationIsHonoured() throws Exception {
        problem(get("/join"), 409, "conflict", "/join")
                .andExpect(jsonPath("$.detail").value("This node is already a member of the group."));
    }
}
