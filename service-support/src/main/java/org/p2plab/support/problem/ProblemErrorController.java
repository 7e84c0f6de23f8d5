package org.p2plab.support.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Replaces Spring Boot's {@code BasicErrorController} (HTML "Whitelabel" page or Boot's own JSON)
 * at {@code /error}: whatever ends up there is answered as {@code application/problem+json}.
 * That is what the servlet container dispatches to for errors MVC never saw: an exception thrown
 * in a filter, or {@code response.sendError(...)}. A request Tomcat itself rejects before any
 * servlet runs is answered by {@link ProblemErrorReportValve} instead, since Tomcat never dispatches
 * those to {@code /error}.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    private final ObjectProvider<ErrorAttributes> errorAttributes;
    private final ObjectProvider<ProblemExceptionHandler> exceptionHandler;

    public ProblemErrorController(ObjectProvider<ErrorAttributes> errorAttributes,
                                  ObjectProvider<ProblemExceptionHandler> exceptionHandler) {
        this.errorAttributes = errorAttributes;
        this.exceptionHandler = exceptionHandler;
    }

    @RequestMapping
    public ResponseEntity<Object> error(HttpServletRequest request) {
        ServletWebRequest webRequest = new ServletWebRequest(request);
        HttpStatusCode status = status(request);
        Throwable error = error(webRequest);
        ProblemExceptionHandler handler = exceptionHandler.getIfAvailable();
        if (error instanceof Exception ex && handler != null) {
            ResponseEntity<Object> rendered = handler.render(ex, webRequest);
            if (rendered != null) {
                return rendered;
            }
        }
        if (error != null && status.is5xxServerError()) {
            log.error("Unexpected error on {} {}", request.getMethod(), Problems.instance(request), error);
        }
        ProblemDetail problem = Problems.problem(status, ProblemKinds.forStatus(status), detail(status, request));
        problem.setInstance(Problems.instance(request));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, headers, status);
    }

    private Throwable error(ServletWebRequest request) {
        ErrorAttributes attributes = errorAttributes.getIfAvailable();
        Throwable error = attributes != null ? attributes.getError(request) : null;
        if (error == null) {
            Object attribute = request.getRequest().getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            error = attribute instanceof Throwable t ? t : null;
        }
        // filters' exceptions arrive wrapped in ServletException by the container
        while (error instanceof jakarta.servlet.ServletException wrapper && wrapper.getCause() != null
                && !(error instanceof org.springframework.web.ErrorResponse)) {
            error = wrapper.getCause();
        }
        return error;
    }

    private static HttpStatusCode status(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code instanceof Integer value && value >= 400 && value <= 599) {
            return HttpStatusCode.valueOf(value);
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }

    /**
     * For 4xx the container's message (Tomcat's, or a {@code sendError} reason) is meant for the
     * client; for 5xx we never echo anything.
     */
    private static String detail(HttpStatusCode status, HttpServletRequest request) {
        String message = containerMessage(request);
        if (status.is4xxClientError()) {
            if (StringUtils.hasText(message)) {
                return message;
            }
            HttpStatus known = HttpStatus.resolve(status.value());
            return "The request was rejected: " + (known != null ? known.getReasonPhrase() : status.toString()) + ".";
        }
        return "The server failed to handle this request. This is a bug; it has been logged.";
    }

    private static String containerMessage(HttpServletRequest request) {
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        return message instanceof String s ? s : "";
    }
}
