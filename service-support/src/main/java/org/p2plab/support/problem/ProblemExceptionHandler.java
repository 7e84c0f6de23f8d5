package org.p2plab.support.problem;

import java.lang.annotation.Annotation;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.http.PeerRejectedException;
import org.p2plab.support.problem.RequestSizeLimitFilter.RequestTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.StringUtils;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;
import org.springframework.validation.method.MethodValidationResult;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingRequestValueException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.util.DisconnectedClientHelper;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;

/**
 * Turns every exception that escapes a controller into an RFC 9457 problem
 * ({@code application/problem+json}) with a stable {@code type} ({@link ProblemKinds}).
 * Spring MVC's own exceptions go through {@link ResponseEntityExceptionHandler} and get a p2plab
 * type, title and an actionable detail here; {@link ProblemException},
 * {@link PeerUnavailableException}, {@link PeerRejectedException},
 * {@link IllegalArgumentException} and bean-validation's {@link ConstraintViolationException}
 * have their own handlers; anything else is a bug: 500 {@code internal-error}, logged with its
 * stack trace under an {@code errorId} that the response carries instead of the message.
 *
 * <p>It has the lowest precedence, so a service's own {@code @RestControllerAdvice} wins for
 * the exceptions it declares.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExceptionHandler.class);

    /** Retry-After sent when a peer needed for the request did not answer. */
    static final long PEER_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;

    private static final int MAX_ECHO = 120;

    // ------------------------------------------------------------ p2plab and plain-Java exceptions

    @ExceptionHandler(ProblemException.class)
    public ResponseEntity<Object> handleProblemException(ProblemException ex, WebRequest request) {
        return handleExceptionInternal(ex, ex.getBody(), ex.getHeaders(), ex.getStatusCode(), request);
    }

    @ExceptionHandler(PeerUnavailableException.class)
    public ResponseEntity<Object> handlePeerUnavailable(PeerUnavailableException ex, WebRequest request) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, ProblemKinds.PEER_UNAVAILABLE,
                "Peer " + ex.address() + " did not answer" + (ex.getMessage() != null ? " (" + ex.getMessage() + ")" : "")
                        + ". The overlay routes around failed peers; retry shortly.");
        problem.setProperty("peer", ex.address());
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(PEER_UNAVAILABLE_RETRY_AFTER_SECONDS));
        return handleExceptionInternal(ex, problem, headers, HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    @ExceptionHandler(PeerRejectedException.class)
    public ResponseEntity<Object> handlePeerRejected(PeerRejectedException ex, WebRequest request) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_GATEWAY, ProblemKinds.PEER_REJECTED, ex.getMessage());
        problem.setProperty("peer", ex.address());
        problem.setProperty("peerStatus", ex.status().value());
        ex.problem().ifPresent(peer -> problem.setProperty("peerType", String.valueOf(peer.getType())));
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_GATEWAY, request);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Object> handleIllegalArgument(IllegalArgumentException ex, WebRequest request) {
        String detail = StringUtils.hasText(ex.getMessage()) ? ex.getMessage() : "The request is not valid.";
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, ProblemKinds.BAD_REQUEST, detail);
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    public ResponseEntity<Object> handleConstraintViolation(ConstraintViolationException ex, WebRequest request) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ConstraintViolation<?> violation : ex.getConstraintViolations()) {
            errors.add(error(propertyPath(violation.getPropertyPath()), violation.getMessage()));
        }
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        setValidationErrors(problem, errors);
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    /** Everything else: a bug (500), unless the exception says otherwise with {@code @ResponseStatus}. */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
        if (DisconnectedClientHelper.isClientDisconnectedException(ex)) {
            log.debug("Client went away: {}", ex.toString());
            return null;
        }
        if (isWrapper(ex) && ex.getCause() instanceof Exception cause) {
            return render(cause, request); // e.g. a PeerUnavailableException out of CompletableFuture.join()
        }
        RequestTooLargeException tooLarge = findCause(ex, RequestTooLargeException.class);
        if (tooLarge != null) {
            return payloadTooLarge(ex, tooLarge, request);
        }
        ResponseStatus annotated = AnnotatedElementUtils.findMergedAnnotation(ex.getClass(), ResponseStatus.class);
        if (annotated != null && annotated.code().value() != 500) {
            HttpStatus status = annotated.code();
            String detail = StringUtils.hasText(annotated.reason()) ? annotated.reason() : ex.getMessage();
            ProblemDetail problem = Problems.problem(status, ProblemKinds.forStatus(status), detail);
            return handleExceptionInternal(ex, problem, new HttpHeaders(), status, request);
        }
        return handleExceptionInternal(ex, ProblemDetail.forStatus(HttpStatus.INTERNAL_SERVER_ERROR),
                new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    /**
     * Renders any exception the way it would have been rendered had it escaped a controller;
     * used by {@link ProblemErrorController} for exceptions that reach {@code /error} (thrown in
     * filters, or outside MVC).
     */
    public ResponseEntity<Object> render(Exception ex, WebRequest request) {
        if (ex instanceof ProblemException e) {
            return handleProblemException(e, request);
        }
        if (ex instanceof PeerUnavailableException e) {
            return handlePeerUnavailable(e, request);
        }
        if (ex instanceof PeerRejectedException e) {
            return handlePeerRejected(e, request);
        }
        if (ex instanceof IllegalArgumentException e) {
            return handleIllegalArgument(e, request);
        }
        if (ex instanceof ConstraintViolationException e) {
            return handleConstraintViolation(e, request);
        }
        try {
            return handleException(ex, request);
        }
        catch (Exception notAnMvcException) {
            return handleUnexpected(ex, request);
        }
    }

    private static boolean isWrapper(Exception ex) {
        return ex instanceof java.util.concurrent.CompletionException
                || ex instanceof java.util.concurrent.ExecutionException
                || ex instanceof java.lang.reflect.UndeclaredThrowableException
                || ex instanceof java.lang.reflect.InvocationTargetException;
    }

    // ------------------------------------------------------------ Spring MVC exceptions

    /** Spring answers 500 for any method validation failure; failed arguments are bad input (400). */
    @Override
    protected ResponseEntity<Object> handleMethodValidationException(
            org.springframework.validation.method.MethodValidationException ex, HttpHeaders headers,
            HttpStatus status, WebRequest request) {
        if (ex.isForReturnValue()) {
            return super.handleMethodValidationException(ex, headers, status, request);
        }
        return handleExceptionInternal(ex, ProblemDetail.forStatus(HttpStatus.BAD_REQUEST), headers,
                HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestTooLargeException tooLarge = findCause(ex, RequestTooLargeException.class);
        if (tooLarge != null) {
            return payloadTooLarge(ex, tooLarge, request);
        }
        return super.handleHttpMessageNotReadable(ex, headers, status, request);
    }

    private ResponseEntity<Object> payloadTooLarge(Exception ex, RequestTooLargeException tooLarge, WebRequest request) {
        ProblemDetail problem = Problems.problem(HttpStatus.CONTENT_TOO_LARGE, ProblemKinds.PAYLOAD_TOO_LARGE,
                tooLarge.getMessage() + " Send a smaller body.");
        problem.setProperty("maxBytes", tooLarge.maxBytes());
        HttpHeaders headers = new HttpHeaders();
        headers.setConnection("close");
        return handleExceptionInternal(ex, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
    }

    /** Every handler ends here: type, title, detail, instance, logging. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail p ? p : ProblemDetail.forStatus(status);
        if (status.value() == HttpStatus.INTERNAL_SERVER_ERROR.value()) {
            internalError(ex, problem, request);
        }
        else {
            describe(ex, problem, status);
            if (status.is5xxServerError()) {
                if (ex instanceof ProblemException) {
                    log.debug("{} {}: {}", status.value(), problem.getType(), problem.getDetail());
                }
                else {
                    log.warn("{} on {}: {}", status.value(), where(request), ex.toString());
                }
            }
            else if (log.isDebugEnabled()) {
                log.debug("{} on {}: {}", status.value(), where(request), ex.toString());
            }
        }
        if (problem.getInstance() == null) {
            problem.setInstance(instance(request));
        }
        return super.handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpHeaders responseHeaders = new HttpHeaders();
        if (headers != null) {
            responseHeaders.putAll(headers);
        }
        // preset, so the problem is written as problem+json whatever the Accept header says
        responseHeaders.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(body, responseHeaders, status);
    }

    private void internalError(Exception ex, ProblemDetail problem, WebRequest request) {
        String errorId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        log.error("Unexpected error {} on {}", errorId, where(request), ex);
        if (ex instanceof ProblemException deliberate) {
            // a service chose to answer 500: keep its words, but still treat it as a bug
            problem.setProperty("errorId", errorId);
            return;
        }
        problem.setType(ProblemKinds.type(ProblemKinds.INTERNAL_ERROR));
        problem.setTitle(ProblemKinds.title(ProblemKinds.INTERNAL_ERROR));
        problem.setDetail("The server failed to handle this request. This is a bug; it was logged with errorId "
                + errorId + ".");
        problem.setProperty("errorId", errorId);
    }

    /** Sets the p2plab type and title, and a detail a person can act on. */
    private void describe(Exception ex, ProblemDetail problem, HttpStatusCode status) {
        if (ProblemKinds.kindOf(problem.getType()) != null) {
            return; // already one of ours (ProblemException, or built by a handler in this class)
        }
        String kind = classify(ex, problem, status);
        if (kind != null) {
            problem.setType(ProblemKinds.type(kind));
            problem.setTitle(ProblemKinds.title(kind));
        }
    }

    /** The kind for an exception (refining the detail on the way), or null to keep the problem's own type. */
    private String classify(Exception ex, ProblemDetail problem, HttpStatusCode status) {
        if (ex instanceof HttpMessageNotReadableException e) {
            return unreadable(e, problem);
        }
        if (ex instanceof MethodArgumentNotValidException e) {
            List<Map<String, Object>> errors = new ArrayList<>();
            for (FieldError error : e.getBindingResult().getFieldErrors()) {
                errors.add(error(error.getField(), error.getDefaultMessage()));
            }
            for (ObjectError error : e.getBindingResult().getGlobalErrors()) {
                errors.add(error(error.getObjectName(), error.getDefaultMessage()));
            }
            setValidationErrors(problem, errors);
            return ProblemKinds.VALIDATION;
        }
        if (ex instanceof MethodValidationResult e) { // HandlerMethodValidationException, MethodValidationException
            setValidationErrors(problem, errors(e));
            return ProblemKinds.VALIDATION;
        }
        if (ex instanceof TypeMismatchException e) {
            String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
            Class<?> type = e.getRequiredType();
            String expected = type == null ? "a different type"
                    : type.isEnum() ? "one of " + Arrays.toString(type.getEnumConstants())
                    : "a valid " + type.getSimpleName();
            problem.setDetail("Parameter '" + name + "' must be " + expected + "; got '"
                    + Problems.abbreviate(e.getValue(), MAX_ECHO) + "'.");
            problem.setProperty("parameter", name);
            return ProblemKinds.INVALID_PARAMETER;
        }
        if (ex instanceof MissingServletRequestParameterException e) {
            problem.setDetail("Required query parameter '" + e.getParameterName() + "' ("
                    + e.getParameterType() + ") is missing.");
            problem.setProperty("parameter", e.getParameterName());
            return ProblemKinds.MISSING_PARAMETER;
        }
        if (ex instanceof MissingServletRequestPartException e) {
            problem.setDetail("Required multipart part '" + e.getRequestPartName() + "' is missing.");
            problem.setProperty("parameter", e.getRequestPartName());
            return ProblemKinds.MISSING_PARAMETER;
        }
        if (ex instanceof MissingRequestHeaderException e) {
            problem.setDetail("Required header '" + e.getHeaderName() + "' is missing.");
            problem.setProperty("header", e.getHeaderName());
            return ProblemKinds.MISSING_PARAMETER;
        }
        if (ex instanceof MissingRequestValueException && !(ex instanceof MissingPathVariableException)) {
            return ProblemKinds.MISSING_PARAMETER; // headers, cookies, matrix variables: Spring's detail names them
        }
        if (ex instanceof ServletRequestBindingException) {
            return ProblemKinds.INVALID_PARAMETER;
        }
        if (ex instanceof NoResourceFoundException e) {
            problem.setDetail(notFound(e.getHttpMethod().name(), "/" + e.getResourcePath()));
            return ProblemKinds.NOT_FOUND;
        }
        if (ex instanceof NoHandlerFoundException e) {
            problem.setDetail(notFound(e.getHttpMethod(), e.getRequestURL()));
            return ProblemKinds.NOT_FOUND;
        }
        if (ex instanceof HttpRequestMethodNotSupportedException e) {
            String allowed = e.getSupportedHttpMethods() == null ? ""
                    : "; use " + e.getSupportedHttpMethods().stream().map(HttpMethod::name).sorted()
                            .collect(Collectors.joining(", "));
            problem.setDetail("Method " + e.getMethod() + " is not supported here" + allowed + ".");
            return ProblemKinds.METHOD_NOT_ALLOWED;
        }
        if (ex instanceof HttpMediaTypeNotSupportedException e) {
            String sent = e.getContentType() == null ? "The request's Content-Type is missing or not a valid media type"
                    : "Content-Type '" + e.getContentType() + "' is not supported here";
            problem.setDetail(sent + "; send " + mediaTypes(e.getSupportedMediaTypes()) + ".");
            return ProblemKinds.UNSUPPORTED_MEDIA_TYPE;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException e) {
            problem.setDetail("None of the media types in the Accept header can be produced here; accept "
                    + mediaTypes(e.getSupportedMediaTypes()) + ".");
            return ProblemKinds.NOT_ACCEPTABLE;
        }
        if (ex instanceof MaxUploadSizeExceededException e) {
            problem.setDetail("The upload is larger than this service accepts"
                    + (e.getMaxUploadSize() >= 0 ? " (at most " + e.getMaxUploadSize() + " bytes)" : "")
                    + ". Send a smaller file.");
            return ProblemKinds.PAYLOAD_TOO_LARGE;
        }
        if (ex instanceof ErrorResponse && problem.getType() != null && !"about:blank".equals(problem.getType().toString())) {
            return null; // a deliberate type (ProblemException, or a service's own ErrorResponseException)
        }
        return ProblemKinds.forStatus(status);
    }

    private static String unreadable(HttpMessageNotReadableException ex, ProblemDetail problem) {
        String message = ex.getMessage();
        if (message != null && message.startsWith("Required request body is missing")) {
            problem.setDetail("The request body is missing; this endpoint expects a JSON body.");
            return ProblemKinds.MISSING_PARAMETER;
        }
        JacksonException json = findCause(ex, JacksonException.class);
        if (json == null) {
            problem.setDetail("The request body could not be read; send JSON as described in /v3/api-docs.");
            return ProblemKinds.MALFORMED_BODY;
        }
        String original = json.getOriginalMessage();
        String path = jsonPath(json.getPath());
        if (!path.isEmpty()) {
            problem.setDetail("The request body has an invalid value at '" + path + "': "
                    + Problems.abbreviate(original, 300));
            problem.setProperty("field", path);
        }
        else {
            TokenStreamLocation location = json.getLocation();
            String where = location != null && location.getLineNr() > 0
                    ? " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
            problem.setDetail("The request body is not valid JSON" + where + ": " + Problems.abbreviate(original, 300));
        }
        return ProblemKinds.MALFORMED_BODY;
    }

    private static String jsonPath(List<JacksonException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : path) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            }
            else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.toString();
    }

    private static List<Map<String, Object>> errors(MethodValidationResult result) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (ParameterValidationResult parameter : result.getParameterValidationResults()) {
            MethodParameter methodParameter = parameter.getMethodParameter();
            String name = parameterName(methodParameter);
            if (parameter.getContainerIndex() != null) {
                name += "[" + parameter.getContainerIndex() + "]";
            }
            else if (parameter.getContainerKey() != null) {
                name += "[" + parameter.getContainerKey() + "]";
            }
            if (parameter instanceof ParameterErrors bean) {
                String prefix = methodParameter.hasParameterAnnotation(RequestBody.class) ? "" : name + ".";
                for (FieldError error : bean.getFieldErrors()) {
                    errors.add(error(prefix + error.getField(), error.getDefaultMessage()));
                }
                for (ObjectError error : bean.getGlobalErrors()) {
                    errors.add(error(name, error.getDefaultMessage()));
                }
            }
            else {
                for (MessageSourceResolvable error : parameter.getResolvableErrors()) {
                    errors.add(error(name, error.getDefaultMessage()));
                }
            }
        }
        for (MessageSourceResolvable error : result.getCrossParameterValidationResults()) {
            errors.add(error(result.getMethod().getName(), error.getDefaultMessage()));
        }
        return errors;
    }

    private static String parameterName(MethodParameter parameter) {
        for (Annotation annotation : parameter.getParameterAnnotations()) {
            String name = switch (annotation) {
                case RequestParam a -> StringUtils.hasText(a.name()) ? a.name() : a.value();
                case PathVariable a -> StringUtils.hasText(a.name()) ? a.name() : a.value();
                case RequestHeader a -> StringUtils.hasText(a.name()) ? a.name() : a.value();
                case RequestPart a -> StringUtils.hasText(a.name()) ? a.name() : a.value();
                default -> "";
            };
            if (StringUtils.hasText(name)) {
                return name;
            }
        }
        String name = parameter.getParameterName();
        return name != null ? name : "arg" + parameter.getParameterIndex();
    }

    private static String propertyPath(Path path) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : path) {
            if (node.getKind() == jakarta.validation.ElementKind.METHOD
                    || node.getKind() == jakarta.validation.ElementKind.CONSTRUCTOR) {
                continue;
            }
            String name = node.getName() != null ? node.getName() : "";
            if (node.getIndex() != null) {
                name += "[" + node.getIndex() + "]";
            }
            else if (node.getKey() != null) {
                name += "[" + node.getKey() + "]";
            }
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        return names.isEmpty() ? path.toString() : String.join(".", names);
    }

    private static Map<String, Object> error(String field, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("field", field);
        error.put("message", message);
        return error;
    }

    private static void setValidationErrors(ProblemDetail problem, List<Map<String, Object>> errors) {
        String summary = errors.stream()
                .map(e -> e.get("field") + " " + e.get("message"))
                .collect(Collectors.joining("; "));
        problem.setDetail(errors.isEmpty() ? "The request is not valid."
                : "The request is not valid: " + summary + ".");
        problem.setProperty("errors", errors);
        problem.setType(ProblemKinds.type(ProblemKinds.VALIDATION));
        problem.setTitle(ProblemKinds.title(ProblemKinds.VALIDATION));
    }

    private static String notFound(String method, String path) {
        return "There is no endpoint " + method + " " + path + ". This service's API is described at /v3/api-docs.";
    }

    private static String mediaTypes(Collection<MediaType> types) {
        if (types == null || types.isEmpty()) {
            return "a supported media type";
        }
        return types.stream().map(MediaType::toString).distinct().collect(Collectors.joining(" or "));
    }

    private static URI instance(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            return Problems.instance(servlet.getRequest());
        }
        return null;
    }

    private static String where(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest http = servlet.getRequest();
            return http.getMethod() + " " + Problems.instance(http);
        }
        return request.getDescription(false);
    }

    private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
