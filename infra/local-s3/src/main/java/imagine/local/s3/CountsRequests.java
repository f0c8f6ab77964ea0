package imagine.local.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Counts each request S3Proxy is given into {@link S3Requests}. */
final class CountsRequests implements Filter {
    private final S3Requests requests;

    CountsRequests(S3Requests requests) {
        this.requests = requests;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        requests.count(http.getMethod(), http.getRequestURI(), prefix(http.getQueryString()));
        chain.doFilter(request, response);
    }

    /** From the query itself: asking the request for a parameter could read a form's body before S3Proxy does. */
    private static String prefix(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("prefix=")) {
                return URLDecoder.decode(pair.substring("prefix=".length()), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
