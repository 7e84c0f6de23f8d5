package org.p2plab.support.problem;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rejects request bodies larger than {@code p2plab.http.max-request-size} with a 413
 * {@code payload-too-large} problem. A declared {@code Content-Length} over the limit is
 * answered right here, before any servlet reads the body (this filter runs before MVC, so it
 * writes the problem JSON itself). A body without a length (chunked) is counted while it is
 * read; crossing the limit throws {@link RequestTooLargeException}, which the problem handler
 * turns into the same 413.
 */
public class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final JsonMapper jsonMapper;

    public RequestSizeLimitFilter(DataSize maxRequestSize, JsonMapper jsonMapper) {
        this.maxBytes = maxRequestSize.toBytes();
        this.jsonMapper = jsonMapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                    FilterChain chain) throws ServletException, IOException {
        long length = request.getContentLengthLong();
        if (length > maxBytes) {
            ProblemDetail problem = Problems.problem(HttpStatus.CONTENT_TOO_LARGE,
                    ProblemKinds.PAYLOAD_TOO_LARGE, tooLargeDetail(length));
            problem.setInstance(Problems.instance(request));
            problem.setProperty("maxBytes", maxBytes);
            // the client may still be sending: tell it (and Tomcat) not to keep the connection
            response.setHeader("Connection", "close");
            Problems.write(problem, response, jsonMapper);
            return;
        }
        if (length < 0 && hasBody(request)) {
            request = new LimitedRequest(request, maxBytes);
        }
        chain.doFilter(request, response);
    }

    private String tooLargeDetail(long length) {
        return "The request body has " + length + " bytes; this service accepts at most " + maxBytes
                + " bytes (p2plab.http.max-request-size). Send a smaller body.";
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getHeader("Transfer-Encoding") != null;
    }

    /** A request body crossed {@code p2plab.http.max-request-size} while it was being read. */
    public static final class RequestTooLargeException extends IOException {

        private final long maxBytes;

        public RequestTooLargeException(long maxBytes) {
            super("The request body is larger than " + maxBytes
                    + " bytes, the most this service accepts (p2plab.http.max-request-size).");
            this.maxBytes = maxBytes;
        }

        public long maxBytes() {
            return maxBytes;
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedInputStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long maxBytes;
        private long count;

        LimitedInputStream(ServletInputStream delegate, long maxBytes) {
            this.delegate = delegate;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws RequestTooLargeException {
            count += n;
            if (count > maxBytes) {
                throw new RequestTooLargeException(maxBytes);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
