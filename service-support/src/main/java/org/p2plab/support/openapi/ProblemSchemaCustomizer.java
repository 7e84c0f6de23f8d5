package org.p2plab.support.openapi;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.p2plab.support.problem.ProblemKinds;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

/**
 * Documents the error format: a {@code Problem} schema (RFC 9457 plus the p2plab members) and a
 * {@code Problem} response in {@code components}, and a {@code default} response referring to it
 * on every operation that does not declare one.
 */
public class ProblemSchemaCustomizer implements GlobalOpenApiCustomizer {

    public static final String PROBLEM = "Problem";

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSchemas(PROBLEM, problemSchema());
        ApiResponse problem = new ApiResponse()
                .description("Any error: an RFC 9457 problem; switch on its type")
                .content(new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
        openApi.getComponents().addResponses(PROBLEM, problem);
        if (openApi.getPaths() != null) {
            openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
                if (operation.getResponses() != null && !operation.getResponses().containsKey("default")) {
                    operation.getResponses().addApiResponse("default",
                            new ApiResponse().$ref("#/components/responses/" + PROBLEM));
                }
            }));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static Schema<?> problemSchema() {
        Schema error = new ObjectSchema()
                .addProperty("field", new StringSchema().description("the failing field or parameter"))
                .addProperty("message", new StringSchema().description("what is wrong with it"));
        Schema schema = new ObjectSchema()
                .description("RFC 9457 problem details (application/problem+json)")
                .addProperty("type", new StringSchema().format("uri")
                        .description("stable kind of error, " + ProblemKinds.TYPE_PREFIX + "<kind>")
                        .example(ProblemKinds.TYPE_PREFIX + ProblemKinds.VALIDATION))
                .addProperty("title", new StringSchema().description("short human summary of the kind"))
                .addProperty("status", new IntegerSchema().description("the HTTP status"))
                .addProperty("detail", new StringSchema().description("what went wrong and what to do about it"))
                .addProperty("instance", new StringSchema().format("uri-reference").description("the request path"))
                .addProperty("errors", new ArraySchema().items(error)
                        .description("validation failures (type " + ProblemKinds.TYPE_PREFIX + "validation)"))
                .addProperty("errorId", new StringSchema().description("log reference of a 500"));
        schema.setRequired(List.of("type", "title", "status"));
        schema.setAdditionalProperties(Boolean.TRUE);
        return schema;
    }
}
