package org.cytolake.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the commands that draw one panel of the lake ({@code plot}, {@code plot-clusters}) share (a
 * picocli mixin): the Spark job's options, {@code --lake} and the required {@code --panel}.
 */
public final class LakePanelOptions {
  @Mixin JobOptions job;

  @Mixin LakeOption lake;

  @Option(
      names = "--panel",
      required = true,
      paramLabel = "P",
      description = "The panel (conf/panels.yaml), e.g. P1.")
  String panel;
}
