package org.cytolake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The usage help of {@code cytolake} and of every subcommand renders without a warning. Picocli
 * treats descriptions as format strings: an unescaped {@code %} ("% of CD4") makes it print
 * "Could not format ... Format specifier '% o'" through its tracer, which writes to the current
 * {@code System.err}; this test captures that stream while rendering each help.
 */
class UsageHelpTest {

  /** Usage help of the top command and of every subcommand (recursively), by qualified name. */
  static Map<String, CommandLine> everyCommand() {
    Map<String, CommandLine> all = new LinkedHashMap<>();
    List<CommandLine> todo = new ArrayList<>(List.of(CytolakeCli.commandLine()));
    while (!todo.isEmpty()) {
      CommandLine c = todo.remove(0);
      all.put(c.getCommandSpec().qualifiedName(), c);
      todo.addAll(c.getSubcommands().values());
    }
    return all;
  }

  @Test
  void everyUsageHelpRendersWithoutAWarningOnStandardError() {
    Map<String, CommandLine> commands = everyCommand();
    assertTrue(commands.size() > 10, "subcommands found: " + commands.keySet());
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    Map<String, String> usage = new LinkedHashMap<>();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      commands.forEach((name, c) -> usage.put(name, c.getUsageMessage(CommandLine.Help.Ansi.OFF)));
    } finally {
      System.setErr(stderr);
    }
    String err = captured.toString(StandardCharsets.UTF_8);
    assertFalse(err.contains("Format specifier"), err);
    assertEquals("", err, "picocli wrote to standard error while rendering usage help");
    for (Map.Entry<String, String> u : usage.entrySet()) {
      assertTrue(
          u.getValue().contains("Usage: " + u.getKey() + " "), u.getKey() + ":\n" + u.getValue());
      // An escaped '%%' renders as one '%': none may be left doubled on the page.
      assertFalse(u.getValue().contains("%%"), u.getKey() + ":\n" + u.getValue());
    }
    assertTrue(usage.get("cytolake gate").contains("% of parent"), usage.get("cytolake gate"));
  }

  @Test
  void theCaptureSeesPicocliWarnings() {
    // The same capture around a description with an unescaped '%' does see the warning, so the
    // test above can fail.
    @CommandLine.Command(name = "bad", description = "Treg % of CD4")
    class Bad implements Runnable {
      @Override
      public void run() {}
    }
    PrintStream stderr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      new CommandLine(new Bad()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    } finally {
      System.setErr(stderr);
    }
    assertTrue(
        captured.toString(StandardCharsets.UTF_8).contains("Format specifier"),
        captured.toString(StandardCharsets.UTF_8));
  }
}
