package org.p2plab.support.testapp;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Throws outside MVC, so the error reaches the container and /error. */
@Component
public class FailingFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getRequestURI().equals("/filter-boom")) {
            throw new IllegalStateException("filter secret: token=abc123");
        }
        chain.doFilter(request, response);
    }
}
