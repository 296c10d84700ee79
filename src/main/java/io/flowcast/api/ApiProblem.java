package io.flowcast.api;

import jakarta.ws.rs.core.Response;
import java.util.List;

/** Thrown by resources to answer with a problem document; {@link ProblemMapper} writes it. */
public class ApiProblem extends RuntimeException {

    private final Problem problem;

    public ApiProblem(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public ApiProblem(Response.Status status, String slug, String title, String detail) {
        this(Problem.of(status.getStatusCode(), slug, title, detail));
    }

    public static ApiProblem rejectedRecords(List<Problem.RecordError> errors) {
        return new ApiProblem(new Problem("/problems/invalid-records", "Records rejected", 422,
                errors.size() + " record(s) break their topic's contract or cannot be scored; nothing was scored",
                List.copyOf(errors)));
    }

    public Problem problem() {
        return problem;
    }
}
