package io.flowcast.api;

/**
 * An HTTP answer to an entity lookup, independent of the server that sends it (the service's resource, or an
 * instance embedded elsewhere).
 *
 * @param retryAfterSeconds the Retry-After header's value; null for none
 */
public record EntityReply(int status, String contentType, byte[] body, Integer retryAfterSeconds) {

    public static final String JSON = "application/json";
}
