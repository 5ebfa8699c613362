package dev.lightd.http;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import org.eclipse.jetty.http.BadMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;

import java.io.IOException;
import java.util.EnumSet;
import java.util.regex.Pattern;

/**
 * The body size limit for bodies of unknown length (Transfer-Encoding: chunked): Javalin checks
 * only Content-Length, so without this a chunked body of any size was read into memory. Reading
 * past the limit answers 413 through the face's own error handler.
 *
 * <p>A body that cannot be read at all (bad chunk framing such as {@code zz} or a chunk size past
 * 2^63, a chunk cut short, fewer bytes than Content-Length said) is a 400 "malformed request body"
 * through the same handler, logged once as {@code event=bad_body}: Jetty's read error used to reach
 * Javalin as an I/O failure it answered with an empty 500 and no log line.
 *
 * <p>Upload routes are exempt from the limit (not from the malformed-body handling): they stream
 * the body to disk and count it against their own, larger limit as it arrives
 * ({@link MultipartUpload}). Which requests those are is matched on the raw method and URI, with a
 * pattern each face gives for exactly its upload routes.
 */
public final class BodyLimit implements Filter {

    private static final Logger log = LoggerFactory.getLogger(BodyLimit.class);
    static final String MALFORMED = "Bad request: malformed request body";

    private final long maxBytes;
    private final Pattern uploadPaths;

    private BodyLimit(long maxBytes, Pattern uploadPaths) {
        this.maxBytes = maxBytes;
        this.uploadPaths = uploadPaths;
    }

    /** @param uploadPaths the raw request URIs of the face's POST upload routes, which set their own limit */
    public static void install(ServletContextHandler handler, long maxBytes, Pattern uploadPaths) {
        handler.addFilter(new FilterHolder(new BodyLimit(maxBytes, uploadPaths)), "/*",
                EnumSet.of(DispatcherType.REQUEST));
    }

    private boolean isUpload(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && uploadPaths.matcher(request.getRequestURI()).matches();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http) {
            // a known length is checked by Javalin (maxRequestSize); an unknown one is counted here
            boolean counted = http.getContentLengthLong() < 0 && !isUpload(http);
            chain.doFilter(new Limited(http, counted ? maxBytes : Long.MAX_VALUE), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long maxBytes;
        private ServletInputStream stream;

        Limited(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new LimitedStream(super.getInputStream(), maxBytes, this);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private final HttpServletRequest request;
        private long read;
        private boolean failed;

        LimitedStream(ServletInputStream in, long maxBytes, HttpServletRequest request) {
            this.in = in;
            this.maxBytes = maxBytes;
            this.request = request;
        }

        /** Jetty's framing or early-EOF failure, as the face's 400 (logged on the first one only). */
        private BadRequestResponse malformed(Exception e) {
            if (!failed) {
                failed = true;
                log.warn("event=bad_body method={} path={} error=\"{}\"", request.getMethod(), request.getRequestURI(),
                        String.valueOf(e.getMessage()).replace('"', '\''));
            }
            return new BadRequestResponse(MALFORMED);
        }

        private int count(int n) {
            if (n > 0) {
                read += n;
                if (read > maxBytes) {
                    throw new ContentTooLargeResponse();
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int b;
            try {
                b = in.read();
            } catch (IOException | BadMessageException e) {
                throw malformed(e);
            }
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | BadMessageException e) {
                throw malformed(e);
            }
            return count(n);
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
