package org.cytolake.cli;

import picocli.CommandLine.Option;

/** The {@code --lake} option of every command that reads or writes the lake (a picocli mixin). */
public final class LakeOption {
  @Option(
      names = "--lake",
      required = true,
      paramLabel = "PATH",
      description =
          "Lake root directory (any Hadoop path: a local directory, file:, hdfs:, " + "s3a:).")
  String root;
}
