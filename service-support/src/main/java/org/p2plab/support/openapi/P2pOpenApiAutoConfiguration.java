package org.p2plab.support.openapi;

import java.util.Map;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springdoc.core.configuration.SpringDocConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * OpenAPI metadata for {@code /v3/api-docs}: title = {@code spring.application.name}, description =
 * {@code p2plab.openapi.description}, version = the build's (see {@link #version}); plus the
 * "user API" / "peer API" tags and the documented problem format.
 */
@AutoConfiguration(before = SpringDocConfiguration.class)
@ConditionalOnClass(OpenAPI.class)
public class P2pOpenApiAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public OpenAPI p2pOpenApi(Environment environment, ObjectProvider<BuildProperties> build,
                              ApplicationContext context) {
        String name = environment.getProperty("spring.application.name", "p2plab service");
        String description = environment.getProperty("p2plab.openapi.description",
                "A p2plab service. Errors are RFC 9457 problems (application/problem+json) whose type "
                        + "is urn:p2plab:problem:<kind>.");
        return new OpenAPI().info(new Info()
                .title(name)
                .description(description)
                .version(version(environment, build.getIfAvailable(), context)));
    }

    @Bean
    @ConditionalOnMissingBean
    public ApiTagsCustomizer p2pApiTagsCustomizer() {
        return new ApiTagsCustomizer();
    }

    @Bean
    @ConditionalOnMissingBean
    public ProblemSchemaCustomizer p2pProblemSchemaCustomizer() {
        return new ProblemSchemaCustomizer();
    }

    /**
     * {@code p2plab.openapi.version} if set; else the version in {@code META-INF/build-info.properties}
     * (spring-boot-maven-plugin's {@code build-info} goal); else the {@code Implementation-Version} of
     * the jar holding the {@code @SpringBootApplication} class; else {@code "dev"}.
     */
    static String version(Environment environment, BuildProperties build, ApplicationContext context) {
        String configured = environment.getProperty("p2plab.openapi.version");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (build != null && build.getVersion() != null) {
            return build.getVersion();
        }
        Map<String, Object> applications = context.getBeansWithAnnotation(SpringBootApplication.class);
        for (Object application : applications.values()) {
            Package pkg = ClassUtils.getUserClass(application).getPackage();
            if (pkg != null && pkg.getImplementationVersion() != null) {
                return pkg.getImplementationVersion();
            }
        }
        return "dev";
    }
}
