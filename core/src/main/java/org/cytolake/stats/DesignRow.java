package org.cytolake.stats;

import java.util.Map;

/** One row of a design: the levels of its factors and the values of its numeric covariates. */
public interface DesignRow {
  /** Factor name → level; must hold every factor the {@link DesignSpec} declares. */
  Map<String, String> factors();

  /** Covariate name → value; must hold every covariate the {@link DesignSpec} declares. */
  Map<String, Double> covariates();
}
