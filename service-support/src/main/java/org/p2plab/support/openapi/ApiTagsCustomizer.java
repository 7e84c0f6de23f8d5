package org.p2plab.support.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

/**
 * Tags every operation under {@code /peer/} with {@value #PEER_API} and every other one with
 * {@value #USER_API}, unless the controller tagged it itself ({@code @Tag} or
 * {@code @Operation(tags = ...)}). Relies on {@code springdoc.auto-tag-classes=false} (a p2plab
 * default), otherwise springdoc tags every operation with its controller's name first.
 */
public class ApiTagsCustomizer implements GlobalOpenApiCustomizer {

    public static final String PEER_API = "peer API";
    public static final String USER_API = "user API";

    @Override
    public void customise(OpenAPI openApi) {
        boolean peer = false;
        boolean user = false;
        if (openApi.getPaths() != null) {
            for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
                String tag = isPeerPath(path.getKey()) ? PEER_API : USER_API;
                for (Operation operation : path.getValue().readOperations()) {
                    if (operation.getTags() == null || operation.getTags().isEmpty()) {
                        operation.setTags(new ArrayList<>(List.of(tag)));
                    }
                    peer |= operation.getTags().contains(PEER_API);
                    user |= operation.getTags().contains(USER_API);
                }
            }
        }
        if (user) {
            addTag(openApi, USER_API, "What a person calls: lookups, stores, status. Safe to try with curl.");
        }
        if (peer) {
            addTag(openApi, PEER_API, "What nodes call on each other (/peer/**): the protocol's messages over HTTP.");
        }
    }

    static boolean isPeerPath(String path) {
        return path.equals("/peer") || path.startsWith("/peer/");
    }

    private static void addTag(OpenAPI openApi, String name, String description) {
        if (openApi.getTags() == null) {
            openApi.setTags(new ArrayList<>());
        }
        if (openApi.getTags().stream().noneMatch(t -> name.equals(t.getName()))) {
            openApi.getTags().add(new Tag().name(name).description(description));
        }
    }
}
