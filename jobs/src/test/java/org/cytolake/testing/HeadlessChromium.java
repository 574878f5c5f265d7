package org.cytolake.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven over the DevTools protocol with the JDK's WebSocket client: opens a
 * page, collects its console errors, uncaught exceptions and log errors (failed loads included)
 * and the URLs it requests, evaluates expressions and takes a full-page screenshot. Only for tests; the browser process is
 * stopped (by its handle) on {@link #close}.
 */
public final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final List<String> errors = new ArrayList<>();
  private final List<String> requests = new ArrayList<>();

  /** The chromium binary on the PATH, or a skipped test saying it is missing. */
  public static Path binaryOrSkip() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    Assumptions.assumeTrue(
        false,
        "no chromium binary on the PATH (Debian: apt-get install -y "
            + "chromium; .ci/run installs it)");
    return null;
  }

  public HeadlessChromium(Path binary, Path workDir) throws Exception {
    profile = Files.createTempDirectory(workDir, "chromium-profile");
    process =
        new ProcessBuilder(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-extensions",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "--window-size=1280,900",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("chromium.log").toFile())
            .start();
    Path active = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!Files.exists(active) || Files.readAllLines(active).size() < 2) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException(
            "Cannot start chromium: no DevTools port (see "
                + workDir.resolve("chromium.log")
                + ")");
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    String wsUrl = null;
    while (wsUrl == null) {
      HttpResponse<String> list =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
              HttpResponse.BodyHandlers.ofString());
      for (JsonNode t : JSON.readTree(list.body())) {
        if (t.path("type").asText().equals("page")) {
          wsUrl = t.path("webSocketDebuggerUrl").asText();
        }
      }
      if (wsUrl == null) {
        if (System.nanoTime() > deadline) {
          throw new IOException("Cannot drive chromium: no page target on port " + port);
        }
        Thread.sleep(100);
      }
    }
    socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(wsUrl), new Listener())
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new IllegalStateException("Cannot parse DevTools message: " + partial, e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }

  /** Sends a command and waits for its result, recording the events that arrive meanwhile. */
  public JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params == null ? JSON.createObjectNode() : params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    while (true) {
      JsonNode m = next();
      if (m.path("id").asInt(-1) == id) {
        if (m.has("error")) {
          throw new IOException("DevTools " + method + " failed: " + m.get("error"));
        }
        return m.path("result");
      }
    }
  }

  /** Waits for an event, recording the others. */
  private void await(String method) throws Exception {
    while (!next().path("method").asText().equals(method)) {
      // recorded by next()
    }
  }

  private JsonNode next() throws Exception {
    JsonNode m = messages.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (m == null) {
      throw new IOException("Cannot drive chromium: no DevTools message within " + TIMEOUT);
    }
    record(m);
    return m;
  }

  private void record(JsonNode m) {
    JsonNode p = m.path("params");
    switch (m.path("method").asText()) {
      case "Runtime.consoleAPICalled" -> {
        String type = p.path("type").asText();
        if (type.equals("error") || type.equals("assert")) {
          errors.add("console." + type + ": " + p.path("args").toString());
        }
      }
      case "Network.requestWillBeSent" -> requests.add(p.path("request").path("url").asText());
      case "Runtime.exceptionThrown" ->
          errors.add("exception: " + p.path("exceptionDetails").toString());
      case "Log.entryAdded" -> {
        if (p.path("entry").path("level").asText().equals("error")) {
          errors.add(
              "log: "
                  + p.path("entry").path("text").asText()
                  + " "
                  + p.path("entry").path("url").asText());
        }
      }
      default -> {}
    }
  }

  /** Opens a file and waits for its load event (and a moment for late errors). */
  public void open(Path file) throws Exception {
    call("Runtime.enable", null);
    call("Log.enable", null);
    call("Page.enable", null);
    call("Network.enable", null);
    call("Page.navigate", JSON.createObjectNode().put("url", file.toUri().toString()));
    await("Page.loadEventFired");
    evaluate("new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1), 200)))");
  }

  /** Evaluates an expression (promises awaited) and returns its value as JSON. */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IOException("Cannot evaluate '" + expression + "': " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  /** Console errors, uncaught exceptions and error log entries seen so far. */
  public List<String> errors() throws Exception {
    JsonNode m;
    while ((m = messages.poll()) != null) {
      record(m);
    }
    return List.copyOf(errors);
  }

  /** URLs the page requested so far (the page itself included). */
  public List<String> requests() throws Exception {
    errors();
    return List.copyOf(requests);
  }

  /** A PNG of the whole page (not only the window). */
  public void screenshot(Path png) throws Exception {
    JsonNode size = call("Page.getLayoutMetrics", null).path("cssContentSize");
    ObjectNode clip =
        JSON.createObjectNode()
            .put("x", 0)
            .put("y", 0)
            .put("width", Math.ceil(size.path("width").asDouble()))
            .put("height", Math.ceil(size.path("height").asDouble()))
            .put("scale", 1);
    ObjectNode params =
        JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
    params.set("clip", clip);
    String data = call("Page.captureScreenshot", params).path("data").asText();
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(data));
  }

  /**
   * Stops the browser and every process it started (renderer, GPU, crash handler), then removes its
   * profile: a child left running would keep writing there and fail the caller's temp-dir cleanup.
   */
  @Override
  public void close() throws Exception {
    List<ProcessHandle> children = process.descendants().toList();
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the browser is stopped below either way
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle child : children) {
      child.destroyForcibly();
      try {
        child.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // reported below if the profile cannot be removed
      }
    }
    deleteTree(profile);
  }

  private static void deleteTree(Path root) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try (var walk = Files.walk(root)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
        return;
      } catch (IOException | java.io.UncheckedIOException e) {
        if (!Files.exists(root)) {
          return;
        }
        if (attempt == 10) {
          throw new IOException("Cannot remove chromium profile " + root + ": " + e, e);
        }
      }
      Thread.sleep(200);
    }
  }
}
