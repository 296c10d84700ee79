package io.flowcast.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): what every 4xx and 5xx of the API carries.
 *
 * @param type   a URI naming the kind of problem (relative: {@code /problems/<slug>})
 * @param errors per-record errors of a rejected batch, when there are any
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<RecordError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** Why one record of a batch was refused: its index in the request, the contract's reason and the details. */
    public record RecordError(int index, String reason, String detail, List<String> violations) {
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem("/problems/" + slug, title, status, detail, null);
    }
}
