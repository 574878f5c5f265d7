package org.cytolake.testing;

import java.util.function.Predicate;
import org.cytolake.generate.PanelModel;

/**
 * Which generator labels (panel leaves of {@link PanelModel.PanelTree}, as written to
 * {@code truth/event_labels.csv.gz} and {@code truth/populations.csv}) a gate of
 * {@code conf/gating/} is meant to catch. The truth is the generator's own labels; this only says
 * which of them a gate id names.
 */
public final class GateTruth {
  private GateTruth() {}

  private static final String LIVE = PanelModel.LIVE;
  private static final String LEUKOCYTES = PanelModel.LEUKOCYTES;

  /** The labels the gate {@code id} of any panel's strategy stands for; fails for unknown ids. */
  public static Predicate<String> of(String id) {
    return switch (id) {
      case "cells" -> under(PanelModel.CELLS);
      case "singlets" -> under(PanelModel.SINGLETS);
      case "live" -> under(LIVE);
      case "leukocytes" -> under(LEUKOCYTES);
      case "lymphocytes" -> under(PanelModel.LYMPHOCYTES);
      case "T" -> under(PanelModel.T);
      case "CD4" -> under(PanelModel.CD4);
      case "CD8" -> under(PanelModel.CD8);
      case "Treg" -> under(PanelModel.TREG);
      case "Tconv" -> under(PanelModel.TCONV);
      case "aTreg" -> under(PanelModel.ATREG);
      case "rTreg" -> under(PanelModel.RTREG);
      case "Helios+" -> under(PanelModel.TREG).and(l -> l.endsWith("/Helios+"));
      case "FOXP3+" -> under(PanelModel.TREG).and(l -> !l.endsWith("/FOXP3-"));
      case "CD4_activated" -> under(PanelModel.TCONV).and(l -> l.endsWith("/activated"));
      case "CD8_activated" -> under(PanelModel.CD8).and(l -> l.endsWith("/activated"));
      case "B" -> under(PanelModel.B);
      case "NK" -> under(PanelModel.NK);
      case "CD56bright", "CD56dim" -> under(PanelModel.NK + "/" + id);
      case "monocytes" -> under(PanelModel.MONOCYTES);
      case "classical", "intermediate", "nonclassical" -> under(PanelModel.MONOCYTES + "/" + id);
      case "eosinophils" -> under(PanelModel.EOSINOPHILS);
      case "neutrophils" -> under(PanelModel.NEUTROPHILS);
      default -> {
        if (id.startsWith("CD4_")) {
          yield under(PanelModel.TCONV + "/" + id.substring(4));
        }
        if (id.startsWith("CD8_")) {
          yield under(PanelModel.CD8 + "/" + id.substring(4));
        }
        throw new IllegalArgumentException("Cannot map gate '" + id + "' to generator labels");
      }
    };
  }

  private static Predicate<String> under(String path) {
    return l -> l.equals(path) || l.startsWith(path + "/");
  }
}
