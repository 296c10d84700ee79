package io.flowcast.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium driven over the Chrome DevTools Protocol (a WebSocket and JSON: no driver binary and no
 * extra dependency): open a page, evaluate JavaScript in it, wait for a condition, take a screenshot.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://[^\\s]+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    /** The Chromium binary, or null when none is installed ({@code apt-get install -y chromium}). */
    static String binary() {
        for (String candidate : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    HeadlessChromium(String binary, int width, int height) throws IOException, InterruptedException {
        profile = Files.createTempDirectory("flowcast-chromium");
        process = new ProcessBuilder(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0",
                "--remote-allow-origins=*", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
                "about:blank").redirectErrorStream(true).start();
        String browserUrl = awaitDevTools();
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        String pages = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getHost() + ":"
                + browser.getPort() + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageUrl = null;
        for (JsonNode target : JSON.readTree(pages)) {
            if ("page".equals(target.path("type").asText())) {
                pageUrl = target.path("webSocketDebuggerUrl").asText();
            }
        }
        if (pageUrl == null) {
            throw new IOException("Chromium opened no page: " + pages);
        }
        page = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Replies()).join();
    }

    /** Opens {@code url} and waits until the document has loaded. */
    void navigate(String url, Duration timeout) throws InterruptedException {
        JsonNode result = call("Page.navigate", JSON.createObjectNode().put("url", url));
        if (result.has("errorText")) {
            throw new IllegalStateException("cannot open " + url + ": " + result.get("errorText").asText());
        }
        // Page.navigate answers once navigation starts; the old document may still be there.
        waitFor("location.href === '" + url + "' && document.readyState === 'complete'", JsonNode::asBoolean,
                timeout);
    }

    /** The value of a JavaScript expression in the page (JSON-serializable values only). */
    JsonNode evaluate(String expression) {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException("page script failed: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * Evaluates {@code expression} until {@code done} holds for its value (a script error counts as not yet: the
     * element may not exist yet); fails with the last value or error otherwise.
     */
    JsonNode waitFor(String expression, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object last;
            try {
                JsonNode value = evaluate(expression);
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("page never satisfied the condition on " + expression + "; last: " + last);
            }
            Thread.sleep(200);
        }
    }

    void screenshot(Path file) throws IOException {
        JsonNode result = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
    }

    @Override
    public void close() throws IOException {
        try {
            page.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        } catch (RuntimeException ignored) {
            // The browser goes away below in any case.
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    private JsonNode call(String method, ObjectNode params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(message.toString(), true).join();
        JsonNode answer = reply.orTimeout(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    private String awaitDevTools() throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = output.readLine()) != null) {
            Matcher matcher = DEVTOOLS.matcher(line);
            if (matcher.find()) {
                // Keep draining the output, or Chromium blocks once the pipe fills.
                Thread drain = new Thread(() -> {
                    try {
                        output.lines().forEach(ignored -> { });
                    } catch (java.io.UncheckedIOException closed) {
                        // The browser was closed.
                    }
                }, "chromium-output");
                drain.setDaemon(true);
                drain.start();
                return matcher.group(1);
            }
            seen.append(line).append('\n');
        }
        throw new IOException("Chromium exited before opening DevTools:\n" + seen);
    }

    /** Reassembles text frames into messages and completes the call each reply answers. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
                        if (reply != null) {
                            reply.complete(message);
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("unreadable DevTools message", e);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
