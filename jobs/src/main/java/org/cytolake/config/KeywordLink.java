package org.cytolake.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which FCS keywords name a file's patient, visit and panel, for files the manifest does not name
 * (setting {@code ingest.keyword-link}, e.g. {@code patient=PATIENT_ID,visit=VISIT,panel=PANEL}).
 */
public record KeywordLink(String patient, String visit, String panel) {

  /** Parses {@code patient=K1,visit=K2,panel=K3}. */
  public static KeywordLink parse(String spec) {
    Map<String, String> m = new HashMap<>();
    for (String part : spec.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2 || kv[1].isBlank()) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not role=KEYWORD");
      }
      String role = kv[0].trim();
      if (!List.of("patient", "visit", "panel").contains(role)) {
        throw new IllegalArgumentException("'" + role + "' is not one of patient, visit, panel");
      }
      m.put(role, kv[1].trim());
    }
    for (String role : List.of("patient", "visit", "panel")) {
      if (!m.containsKey(role)) {
        throw new IllegalArgumentException("no keyword for " + role + " in '" + spec + "'");
      }
    }
    return new KeywordLink(m.get("patient"), m.get("visit"), m.get("panel"));
  }

  /** The keywords to keep when inspecting files. */
  public List<String> keywords() {
    return List.of(patient, visit, panel);
  }
}
