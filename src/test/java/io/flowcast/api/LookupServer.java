package io.flowcast.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The entity endpoint of a second, embedded instance: the JDK's HTTP server in front of the same {@link EntityLookup}
 * the service's resource uses (local store or one forward to the hosting instance).
 */
final class LookupServer implements AutoCloseable {

    private static final String PREFIX = "/api/v1/entities/";

    private final HttpServer server;
    private boolean closed;

    LookupServer(int port, EntityLookup lookup) throws IOException {
        server = HttpServer.create(new InetSocketAddress("localhost", port), 16);
        server.createContext(PREFIX, exchange -> answer(exchange, lookup));
        server.start();
    }

    private static void answer(HttpExchange exchange, EntityLookup lookup) throws IOException {
        try (exchange) {
            String[] segments = exchange.getRequestURI().getRawPath().substring(PREFIX.length()).split("/", -1);
            if (!"GET".equals(exchange.getRequestMethod()) || segments.length != 2) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            EntityReply reply = lookup.lookup(decode(segments[0]), decode(segments[1]),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst(EntityForwarder.FORWARDED_BY)));
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            if (reply.retryAfterSeconds() != null) {
                exchange.getResponseHeaders().set("Retry-After", reply.retryAfterSeconds().toString());
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(reply.body());
            }
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
        }
    }
}
