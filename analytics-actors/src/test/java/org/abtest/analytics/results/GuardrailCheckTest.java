package org.abtest.analytics.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.results.ResultsDocument.GuardrailResult;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.SequentialMethod;
import org.junit.jupiter.api.Test;

/** Guardrails in the results document: the mSPRT confidence sequence against the tolerance. */
class GuardrailCheckTest {

  /** The fixture's experiment ("purchase" proportion, "revenue" mean) with these guardrails. */
  private static Experiment guarded(SequentialMethod sequential, Guardrail... guardrails) {
    return ResultsBuilderTest.experiment(sequential, null, null)
        .with(Map.of(ExperimentField.GUARDRAILS, List.of(guardrails)));
  }

  private static Guardrail purchaseUp(double threshold) {
    return new Guardrail(
        "purchase", Guardrail.Direction.INCREASE, threshold, Guardrail.Action.KILL);
  }

  private static GuardrailResult only(Experiment e, ExperimentTotals t) {
    List<GuardrailResult> all = ResultsBuilderTest.build(e, t).guardrails();
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void aClearlyHigherRateInTheTreatmentViolatesAnIncreaseGuardrail() {
    GuardrailResult g =
        only(
            guarded(SequentialMethod.NONE, purchaseUp(0)),
            ResultsBuilderTest.totals(10_000, 10_000, 500, 900, 0));
    assertThat(g.status()).isEqualTo(GuardrailCheck.VIOLATED);
    assertThat(g.action()).isEqualTo("kill");
    assertThat(g.direction()).isEqualTo("increase");
    var arm = g.variants().get(0);
    assertThat(arm.variant()).isEqualTo("green");
    assertThat(arm.status()).isEqualTo(GuardrailCheck.VIOLATED);
    assertThat(arm.diff()).isEqualTo(0.04, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(arm.csLow()).isGreaterThan(0);
    assertThat(arm.tolerated()).isZero();
  }

  @Test
  void theSameRatesAreOkAndAToleratedChangeIsNotAViolation() {
    assertThat(
            only(
                    guarded(SequentialMethod.NONE, purchaseUp(0)),
                    ResultsBuilderTest.totals(10_000, 10_000, 500, 500, 0))
                .status())
        .isEqualTo(GuardrailCheck.OK);
    // +80 % relative (0.05 → 0.09) is a violation at threshold 0 and tolerated at threshold 1.0
    var totals = ResultsBuilderTest.totals(10_000, 10_000, 500, 900, 0);
    GuardrailResult tolerant = only(guarded(SequentialMethod.NONE, purchaseUp(1.0)), totals);
    assertThat(tolerant.status()).isEqualTo(GuardrailCheck.OK);
    assertThat(tolerant.variants().get(0).tolerated())
        .isEqualTo(0.05, org.assertj.core.api.Assertions.within(1e-12));
  }

  @Test
  void aDecreaseGuardrailIsViolatedByALowerMeanOnly() {
    Guardrail revenueDown =
        new Guardrail("revenue", Guardrail.Direction.DECREASE, 0, Guardrail.Action.ALERT);
    // the fixture's revenue: 50 per converted unit in control, 52 in green
    ExperimentTotals lower = ResultsBuilderTest.totals(10_000, 10_000, 2000, 1200, 0);
    ExperimentTotals higher = ResultsBuilderTest.totals(10_000, 10_000, 1200, 2000, 0);
    assertThat(only(guarded(SequentialMethod.NONE, revenueDown), lower).status())
        .isEqualTo(GuardrailCheck.VIOLATED);
    assertThat(only(guarded(SequentialMethod.NONE, revenueDown), higher).status())
        .isEqualTo(GuardrailCheck.OK);
  }

  @Test
  void withoutUnitsInBothArmsThereIsNotEnoughData() {
    GuardrailResult g =
        only(
            guarded(SequentialMethod.NONE, purchaseUp(0)),
            ResultsBuilderTest.totals(1, 0, 1, 0, 0));
    assertThat(g.status()).isEqualTo(GuardrailCheck.INSUFFICIENT_DATA);
    assertThat(g.variants().get(0).csLow()).isNull();
  }

  @Test
  void theSequenceIsTheOneAnMsprtExperimentShowsForTheSameComparison() {
    var totals = ResultsBuilderTest.totals(10_000, 10_000, 500, 620, 0);
    var withGuardrail =
        ResultsBuilderTest.build(guarded(SequentialMethod.NONE, purchaseUp(0)), totals);
    var msprt =
        ResultsBuilderTest.build(
            ResultsBuilderTest.experiment(SequentialMethod.MSPRT, null, null), totals);
    var comparison = msprt.metrics().get(0).comparisons().get(0);
    var arm = withGuardrail.guardrails().get(0).variants().get(0);
    assertThat(arm.csLow()).isEqualTo(comparison.csLow());
    assertThat(arm.csHigh()).isEqualTo(comparison.csHigh());
    // a fixed-horizon experiment's own comparison stays fixed-horizon: no always-valid fields
    assertThat(withGuardrail.metrics().get(0).comparisons().get(0).alwaysValidPValue()).isNull();
  }

  @Test
  void theAggregatorsCheckOfTheGuardedMetricsAloneGivesTheDocumentsGuardrails() {
    Experiment e = guarded(SequentialMethod.NONE, purchaseUp(0));
    var totals = ResultsBuilderTest.totals(10_000, 10_000, 500, 900, 0);
    assertThat(ResultsBuilder.guardrails(e, totals))
        .isEqualTo(ResultsBuilderTest.build(e, totals).guardrails());
  }

  @Test
  void theSrmGuardrailIsViolatedByAMismatchedSplitAndHoldsForAFairOne() {
    Guardrail srm = new Guardrail("srm", Guardrail.Direction.INCREASE, 0, Guardrail.Action.PAUSE);
    Experiment e = guarded(SequentialMethod.NONE, srm);
    GuardrailResult fair = only(e, ResultsBuilderTest.totals(10_000, 10_050, 500, 500, 0));
    assertThat(fair.status()).isEqualTo(GuardrailCheck.OK);
    assertThat(fair.metric()).isEqualTo("srm");
    GuardrailResult skewed = only(e, ResultsBuilderTest.totals(10_000, 11_000, 500, 500, 0));
    assertThat(skewed.status()).isEqualTo(GuardrailCheck.VIOLATED);
    assertThat(skewed.action()).isEqualTo("pause");
    assertThat(skewed.variants()).hasSize(2);
    assertThat(skewed.variants().get(0).diff())
        .isEqualTo(10_000 / 21_000.0 - 0.5, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(GuardrailWatch.reason(skewed)).startsWith("guardrail on srm violated");
    assertThat(ResultsBuilder.guardrails(e, ResultsBuilderTest.totals(10_000, 11_000, 5, 5, 0)))
        .isEqualTo(
            ResultsBuilderTest.build(e, ResultsBuilderTest.totals(10_000, 11_000, 5, 5, 0))
                .guardrails());
    assertThat(only(e, ResultsBuilderTest.totals(0, 0, 0, 0, 0)).status())
        .isEqualTo(GuardrailCheck.INSUFFICIENT_DATA);
  }

  @Test
  void anExperimentWithoutGuardrailsWritesNone() {
    assertThat(
            ResultsBuilderTest.build(
                    ResultsBuilderTest.experiment(SequentialMethod.NONE, null, null),
                    ResultsBuilderTest.totals(100, 100, 5, 5, 0))
                .guardrails())
        .isEmpty();
  }

  /** Looks at every 250 units per arm up to 10,000, as totals change in a running experiment. */
  private static boolean everViolated(Experiment e, double pControl, double pTreatment, Random r) {
    long convA = 0;
    long convB = 0;
    for (int n = 250; n <= 10_000; n += 250) {
      for (int i = 0; i < 250; i++) {
        convA += r.nextDouble() < pControl ? 1 : 0;
        convB += r.nextDouble() < pTreatment ? 1 : 0;
      }
      ExperimentTotals t = ResultsBuilderTest.totals(n, n, convA, convB, 0);
      if (only(e, t).status().equals(GuardrailCheck.VIOLATED)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A/A: 1,000 experiments, each looked at 40 times; a guardrail that triggers in no more than
   * alpha (0.05) of them, as the confidence sequence's time-uniform coverage promises. With 1,000
   * repetitions the rate's standard error is 0.007, so 0.05 + 3 SE bounds what a correct test
   * shows; the mSPRT is conservative, and the rate seen is far below alpha.
   */
  @Test
  void anAaRunWatchedAtEveryLookTriggersInAtMostAlphaOfTheExperiments() {
    Experiment e = guarded(SequentialMethod.NONE, purchaseUp(0));
    Random r = new Random(28);
    int triggered = 0;
    int repetitions = 1000;
    for (int i = 0; i < repetitions; i++) {
      triggered += everViolated(e, 0.05, 0.05, r) ? 1 : 0;
    }
    assertThat((double) triggered / repetitions).isLessThanOrEqualTo(0.05 + 3 * 0.007);
  }

  /** A planted harm (5 % → 8 % errors) is confirmed within 10,000 units per arm nearly always. */
  @Test
  void aPlantedHarmIsConfirmedInNearlyEveryExperiment() {
    Experiment e = guarded(SequentialMethod.NONE, purchaseUp(0));
    Random r = new Random(29);
    int confirmed = 0;
    for (int i = 0; i < 200; i++) {
      confirmed += everViolated(e, 0.05, 0.08, r) ? 1 : 0;
    }
    assertThat(confirmed).isGreaterThanOrEqualTo(190);
  }
}
