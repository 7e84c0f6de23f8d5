package org.p2plab.support.problem;

import jakarta.servlet.DispatcherType;
import org.p2plab.support.http.PeerHttpProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.apache.catalina.startup.Tomcat;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem responses for every error path of a servlet service: the
 * {@link ProblemExceptionHandler} advice (in place of Boot's own problem-details handler), the
 * {@link ProblemErrorController} at {@code /error} (in place of the Whitelabel page) and the
 * {@link RequestSizeLimitFilter}. Runs before Boot's MVC and error auto-configurations so that
 * theirs back off.
 */
@AutoConfiguration(before = {WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(PeerHttpProperties.class)
public class ProblemAutoConfiguration {

    /** Just after Boot's character-encoding and forwarded-header filters, before everything else. */
    public static final int REQUEST_SIZE_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    @Bean
    @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
    public ProblemExceptionHandler problemExceptionHandler() {
        return new ProblemExceptionHandler();
    }

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    public ProblemErrorController problemErrorController(ObjectProvider<ErrorAttributes> errorAttributes,
                                                         ObjectProvider<ProblemExceptionHandler> handler) {
        return new ProblemErrorController(errorAttributes, handler);
    }

    @Bean
    @ConditionalOnMissingBean(name = "requestSizeLimitFilter")
    public FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(
            PeerHttpProperties properties, ObjectProvider<JsonMapper> jsonMapper) {
        RequestSizeLimitFilter filter = new RequestSizeLimitFilter(properties.maxRequestSize(),
                jsonMapper.getIfAvailable(JsonMapper::shared));
        FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("requestSizeLimitFilter");
        registration.setOrder(REQUEST_SIZE_FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    /** Tomcat's own error page (for requests it rejects before any servlet runs) as problem JSON. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tomcat.class)
    static class TomcatErrorReportConfiguration {

        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReportValveCustomizer() {
            return new ProblemErrorReportValveCustomizer();
        }
    }

    /**
     * Runs after Boot's own Tomcat customizer (which adds a plain ErrorReportValve to the host from a
     * context customizer), so the valve swap in our context customizer happens last.
     */
    static class ProblemErrorReportValveCustomizer
            implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addContextCustomizers(context -> ProblemErrorReportValve.install(context.getParent()));
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
