package org.abtest.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operations test's recomputation, on a hand-made ledger whose numbers are worked out below.
 */
class OpsLedgerTest {

  private static final List<String> VARIANTS = List.of("control", "treatment");
  private static final long DAY = 86_400_000L;

  private static OpsLedger.Accepted exposure(String unit, int phase, String variant, long ts) {
    return new OpsLedger.Accepted(unit, "e", phase, variant, ts, null, 0);
  }

  private static OpsLedger.Accepted purchase(String unit, long ts, double value) {
    return new OpsLedger.Accepted(unit, null, 0, null, ts, "purchase", value);
  }

  private static OpsLedger ledger() {
    OpsLedger l = new OpsLedger();
    l.add(exposure("a", 1, "control", 100));
    l.add(purchase("a", 50, 9)); // before a's exposure in phase 1: not an outcome there
    l.add(purchase("a", 200, 3));
    l.add(purchase("a", 300, 4));
    l.add(exposure("b", 1, "treatment", 110));
    l.add(exposure("b", 1, "control", 120)); // moved by a sticky change: stays treatment, multiple
    l.add(exposure("b", 1, "control", 130)); // marked once only
    l.add(exposure("c", 1, "treatment", 140));
    l.add(new OpsLedger.Accepted("d", "other", 1, "control", 150, null, 0)); // not this one
    l.add(exposure("a", 2, "treatment", 400)); // a new phase: a is a new unit there
    l.add(purchase("a", 500, 5));
    l.add(purchase("c", 600, 2));
    return l;
  }

  @Test
  void phaseOneCountsFirstExposuresAndTheirLaterEventsAndEachMultiplyExposedUnitOnce() {
    Map<String, Object> n = ledger().numbers("e", 1, VARIANTS, OpsCheck.METRICS);
    assertThat(n)
        .containsEntry("units.control", 1L)
        .containsEntry("units.treatment", 2L)
        .containsEntry("multipleExposureUnits", 1L)
        // a: 3 + 4 + 5 after its exposure at 100 (the 9 at ts 50 is its covariate)
        .containsEntry("metric.revenue.control.sum", 12.0)
        .containsEntry("metric.revenue.control.sumSquares", 144.0)
        .containsEntry("metric.revenue.control.covariate.sum", 9.0)
        .containsEntry("metric.revenue.control.covariate.sumProducts", 108.0)
        .containsEntry("metric.bought.control.sum", 1.0)
        // b: nothing, c: 2
        .containsEntry("metric.revenue.treatment.n", 2L)
        .containsEntry("metric.revenue.treatment.sum", 2.0)
        .containsEntry("metric.bought.treatment.sum", 1.0)
        .containsEntry("metric.bought.treatment.sumSquares", 1.0);
  }

  @Test
  void aUnitExposedAgainInANewPhaseCountsThereWithItsEarlierEventsAsCovariate() {
    Map<String, Object> n = ledger().numbers("e", 2, VARIANTS, OpsCheck.METRICS);
    assertThat(n)
        .containsEntry("units.control", 0L)
        .containsEntry("units.treatment", 1L)
        .containsEntry("metric.revenue.treatment.sum", 5.0)
        .containsEntry("metric.revenue.treatment.covariate.sum", 16.0) // 9 + 3 + 4
        .containsEntry("metric.revenue.treatment.covariate.sumSquares", 256.0)
        .containsEntry("metric.bought.treatment.covariate.sum", 1.0)
        .containsEntry("metric.bought.treatment.covariate.sumProducts", 1.0)
        .containsEntry("multipleExposureUnits", 0L);
  }

  @Test
  void eventsOlderThanTheLookbackAreNoCovariate() {
    OpsLedger l = new OpsLedger();
    l.add(purchase("z", 1, 7));
    l.add(exposure("z", 1, "control", 8 * DAY));
    assertThat(l.numbers("e", 1, VARIANTS, OpsCheck.METRICS))
        .containsEntry("metric.revenue.control.covariate.sum", 0.0)
        .containsEntry("metric.revenue.control.n", 1L);
  }
}
