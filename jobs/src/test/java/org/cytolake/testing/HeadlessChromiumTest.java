package org.cytolake.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link HeadlessChromium} catches what ReportIT requires to be absent: console errors, uncaught
 * exceptions, failed loads and the URLs a page requests; and reads the DOM as laid out. Skips without chromium.
 */
class HeadlessChromiumTest {
  @TempDir Path dir;

  @Test
  void catchesConsoleErrorsExceptionsAndFailedLoads() throws Exception {
    Path chromium = HeadlessChromium.binaryOrSkip();
    Path page = dir.resolve("control.html");
    Files.writeString(
        page,
        "<!DOCTYPE html><html><body><svg width=\"120\" height=\"80\">"
            + "<rect width=\"10\" height=\"10\"/></svg><img src=\"missing.png\"/><script>"
            + "console.log('plain-log-42'); console.error('control error'); undefinedFunction();</script>"
            + "</body></html>");
    try (HeadlessChromium browser = new HeadlessChromium(chromium, dir)) {
      browser.open(page);
      JsonNode box =
          browser.evaluate(
              "(() => { const r = document.querySelector('svg')"
                  + ".getBoundingClientRect(); return {w: r.width, h: r.height}; })()");
      assertEquals(120, box.path("w").asInt());
      assertEquals(80, box.path("h").asInt());
      List<String> errors = browser.errors();
      assertTrue(
          errors.stream()
              .anyMatch(e -> e.startsWith("console.error") && e.contains("control error")),
          "console.error: " + errors);
      assertTrue(
          errors.stream()
              .anyMatch(e -> e.startsWith("exception") && e.contains("undefinedFunction")),
          "exception: " + errors);
      assertTrue(
          errors.stream().anyMatch(e -> e.startsWith("log:") && e.contains("missing.png")),
          "failed load: " + errors);
      assertTrue(
          errors.stream().noneMatch(e -> e.contains("plain-log-42")), "console.log is no error");
      List<String> requests = browser.requests();
      assertEquals(page.toUri().toString(), requests.get(0));
      assertTrue(requests.stream().anyMatch(u -> u.endsWith("/missing.png")), "img: " + requests);
      Path png = dir.resolve("shot.png");
      browser.screenshot(png);
      assertTrue(Files.size(png) > 100);
    }
  }
}
