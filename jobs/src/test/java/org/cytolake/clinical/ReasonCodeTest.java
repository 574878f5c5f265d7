package org.cytolake.clinical;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ingest-clinical's reasons are quarantine reasons of the same name. */
class ReasonCodeTest {
  @Test
  void everyReasonCodeMapsOntoTheQuarantineReasonOfItsName() {
    for (ReasonCode c : ReasonCode.values()) {
      assertEquals(c.name(), c.reason().name());
    }
  }
}
