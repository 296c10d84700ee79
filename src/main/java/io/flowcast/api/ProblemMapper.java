package io.flowcast.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Writes API problems, and the framework's own HTTP errors on API paths, as {@code application/problem+json}. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem problem) {
        return respond(problem.problem());
    }

    /** 404 for an unknown path, 405, 415 and the like: the same document shape as our own problems. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException exception) {
        int status = exception.getResponse().getStatus();
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        if (family != Response.Status.Family.CLIENT_ERROR && family != Response.Status.Family.SERVER_ERROR) {
            return exception.getResponse();
        }
        String reason = exception.getResponse().getStatusInfo().getReasonPhrase();
        return respond(Problem.of(status, "http-" + status, reason, exception.getMessage()));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
