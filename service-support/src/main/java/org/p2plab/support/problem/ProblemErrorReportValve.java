package org.p2plab.support.problem;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's last resort, as problem JSON instead of Tomcat's HTML page. It only writes when nothing
 * else did: in a Spring Boot service that is a request Tomcat rejected before any servlet or
 * {@code /error} dispatch could run — most often a URL that cannot be decoded ({@code /x/%zz},
 * {@code /x/%}, an encoded {@code /} or NUL, invalid UTF-8), which becomes 400 {@code malformed-uri}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    /** Replaces every other {@link ErrorReportValve} of the host (Boot's, Tomcat's default) with this one. */
    public static void install(Container host) {
        if (host instanceof StandardHost h) {
            h.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
        boolean present = false;
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ProblemErrorReportValve) {
                present = true;
            }
            else if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (!present) {
            host.getPipeline().addValve(new ProblemErrorReportValve());
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // the same preconditions as Tomcat's own report: an error, nothing written yet, not reported yet
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ProblemDetail problem = problem(HttpStatusCode.valueOf(status), request.getContext() == null,
                response.getMessage());
        problem.setInstance(Problems.instance(request));
        try {
            String json = JsonMapper.shared().writeValueAsString(Problems.asMap(problem));
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException e) {
            // the client is gone or the response is unusable: nothing more to do
        }
    }

    static ProblemDetail problem(HttpStatusCode status, boolean beforeAnyApplication, String containerMessage) {
        if (status.value() == HttpStatus.BAD_REQUEST.value() && beforeAnyApplication) {
            return Problems.problem(status, ProblemKinds.MALFORMED_URI,
                    "Tomcat rejected the request before it reached the service"
                            + (containerMessage != null && !containerMessage.isBlank() ? " (" + containerMessage + ")" : "")
                            + ". Most often the URL cannot be decoded: every '%' must start a valid UTF-8 percent-escape"
                            + " (write a literal '%' as %25), and path segments must not contain encoded '/' (%2F),"
                            + " '\\' (%5C) or NUL (%00).");
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        String detail = status.is4xxClientError()
                ? "The request was rejected: " + (known != null ? known.getReasonPhrase() : status.toString()) + "."
                : "The server failed to handle this request.";
        return Problems.problem(status, ProblemKinds.forStatus(status), detail);
    }
}
