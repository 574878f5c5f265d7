package org.cytolake.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The required {@code --out} image of every plot command (a picocli mixin). */
public final class ImageOutOption {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description = "The image: FILE.png or FILE.svg.")
  Path out;
}
