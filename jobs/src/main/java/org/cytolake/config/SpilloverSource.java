package org.cytolake.config;

import java.util.List;

/**
 * Where a panel's compensation comes from: each file's own spillover keyword ({@code file}, the
 * default), a matrix given in conf/panels.yaml ({@code conf}: overrides the files', e.g. after a
 * single-stain control re-run), or no compensation ({@code none}).
 *
 * @param kind file, conf or none
 * @param channels detectors of the conf matrix (null unless kind is conf)
 * @param matrix the conf spillover matrix, rows = emitting detector (null unless kind is conf)
 */
public record SpilloverSource(String kind, List<String> channels, double[][] matrix) {
  public static final SpilloverSource FILE = new SpilloverSource("file", null, null);
  public static final SpilloverSource NONE = new SpilloverSource("none", null, null);

  public boolean fromFile() {
    return kind.equals("file");
  }

  public boolean fromConf() {
    return kind.equals("conf");
  }
}
