package org.cytolake.som;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.cytolake.som.PhenotypeRule.Level;
import org.cytolake.som.PhenotypeRule.Token;
import org.junit.jupiter.api.Test;

/** The phenotype grammar of conf/clustering.yaml rules. */
class PhenotypeRuleTest {
  static final List<String> COLS = List.of("cd3", "cd4", "cd25", "cd127");

  @Test
  void tokensAreColumnsWithALevel() {
    assertEquals(
        new PhenotypeRule(
            "Treg",
            List.of(
                new Token("cd3", Level.POSITIVE),
                new Token("cd4", Level.POSITIVE),
                new Token("cd25", Level.HIGH),
                new Token("cd127", Level.LOW))),
        PhenotypeRule.parse("Treg", "  cd3+ cd4+   cd25hi cd127lo ", COLS));
    assertEquals(
        List.of(new Token("cd3", Level.NEGATIVE)),
        PhenotypeRule.parse("non-T", "cd3-", COLS).tokens());
  }

  @Test
  void badTokensAreAllReported() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> PhenotypeRule.parse("x", "cd3 cd99+", COLS));
    assertTrue(
        e.getMessage().contains("'cd3'") && e.getMessage().contains("'cd99'"), e.getMessage());
  }

  @Test
  void anEmptyPhenotypeIsAnError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PhenotypeRule.parse("x", "  ", COLS));
    assertTrue(e.getMessage().contains("the phenotype is empty"), e.getMessage());
  }
}
