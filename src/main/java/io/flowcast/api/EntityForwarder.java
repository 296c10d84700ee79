package io.flowcast.api;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instance that hosts an entity for it: the same GET on that instance's HTTP API (its
 * {@code application.server}), marked as forwarded so that it answers from its own stores or not at all, never by
 * forwarding again.
 */
public final class EntityForwarder {

    /** Set on a forwarded request, to the forwarding instance's address. */
    public static final String FORWARDED_BY = "X-Flowcast-Forwarded-By";

    private final HttpClient client;
    private final Duration timeout;

    public EntityForwarder(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    /** The host's reply as is; empty when it cannot be reached or does not answer within the timeout. */
    /** @param forwardedBy what the request says forwarded it (this instance's address) */
    public Optional<EntityReply> forward(HostInfo host, String stream, String entityId, String forwardedBy) {
        URI uri = URI.create("http://" + host.host() + ':' + host.port() + "/api/v1/entities/" + segment(stream) + '/'
                + segment(entityId));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Accept", EntityReply.JSON + ", " + Problem.MEDIA_TYPE)
                .header(FORWARDED_BY, forwardedBy).build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Integer retryAfter = response.headers().firstValue("Retry-After").map(EntityForwarder::seconds)
                    .orElse(null);
            return Optional.of(new EntityReply(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(EntityReply.JSON), response.body(),
                    retryAfter));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Integer seconds(String header) {
        try {
            return Integer.valueOf(header.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
