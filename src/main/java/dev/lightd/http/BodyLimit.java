package dev.lightd.http;

import io.javalin.http.ContentTooLargeResponse;
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

/**
 * The body size limit for bodies of unknown length (Transfer-Encoding: chunked): Javalin checks
 * only Content-Length, so without this a chunked body of any size was read into memory. Reading
 * past the limit answers 413 through the face's own error handler.
 */
public final class BodyLimit implements Filter {

    private final long maxBytes;

    private BodyLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public static void install(ServletContextHandler handler, long maxBytes) {
        handler.addFilter(new FilterHolder(new BodyLimit(maxBytes)), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getContentLengthLong() < 0) {
            chain.doFilter(new Limited(http, maxBytes), response);
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
                stream = new LimitedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }
    }

    private static final class LimitedStream extends ServletInputStream {
        private final ServletInputStream in;
        private final long maxBytes;
        private long read;

        LimitedStream(ServletInputStream in, long maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
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
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(in.read(b, off, len));
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
