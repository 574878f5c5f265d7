package org.cytolake.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What a benchmark ran on, for its JSON result. */
public final class MachineInfo {
  private MachineInfo() {}

  public static ObjectNode describe() {
    ObjectNode m = JsonNodeFactory.instance.objectNode();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    cpuModel().ifPresent(c -> m.put("cpu", c));
    memTotal().ifPresent(mb -> m.put("memory_mb", mb));
    return m;
  }

  private static Optional<String> cpuModel() {
    return procLine("/proc/cpuinfo", "model name").map(l -> l.substring(l.indexOf(':') + 1).trim());
  }

  private static Optional<Long> memTotal() {
    return procLine("/proc/meminfo", "MemTotal:")
        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024);
  }

  private static Optional<String> procLine(String file, String prefix) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(l -> l.startsWith(prefix))
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
