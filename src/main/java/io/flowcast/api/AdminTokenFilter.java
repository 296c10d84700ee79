package io.flowcast.api;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Guards {@link AdminOnly} endpoints with a bearer token from configuration. No token configured: 403 (the admin API
 * is off, there being no default secret). Token missing or wrong: 401 with a Bearer challenge. Tokens are compared
 * as SHA-256 digests with a constant-time comparison, so timing reveals neither length nor prefix.
 */
@Provider
@AdminOnly
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    /** Looked up per request: filters are built before runtime configuration is available. */
    @Inject
    Instance<ApiSettings> settings;

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<byte[]> expectedDigest = settings.get().adminToken().filter(token -> !token.isBlank())
                .map(AdminTokenFilter::digest);
        if (expectedDigest.isEmpty()) {
            request.abortWith(ProblemMapper.respond(Problem.of(403, "admin-disabled", "Admin API disabled",
                    "no admin token is configured (flowcast.api.admin-token); set one to enable this endpoint")));
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length());
        if (!bearer || !MessageDigest.isEqual(expectedDigest.get(), digest(header.substring(BEARER.length()).trim()))) {
            Response response = ProblemMapper.respond(Problem.of(401, "unauthorized", "Unauthorized",
                    header == null ? "this endpoint needs an Authorization: Bearer <admin token> header"
                            : "the bearer token is not the admin token"));
            request.abortWith(Response.fromResponse(response)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"flowcast-admin\"").build());
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
