package org.abtest.analytics.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.results.ResultsDocument.Comparison;
import org.abtest.analytics.stats.MeanSummary;
import org.abtest.analytics.stats.MultipleTesting;
import org.abtest.analytics.stats.ProportionSummary;
import org.abtest.analytics.stats.TwoProportion;
import org.abtest.analytics.stats.Welch;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.SequentialMethod;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

/** Public: its fixtures are also the aggregator test's. */
public class ResultsBuilderTest {

  public static final Instant AS_OF = Instant.parse("2026-11-22T10:00:00Z");

  public static Experiment experiment(SequentialMethod sequential, Long target, Integer looks) {
    var fields = new HashMap<ExperimentField, Object>();
    fields.put(
        ExperimentField.METRICS,
        List.of(
            new MetricDefinition("purchase", "purchase", MetricKind.PROPORTION, 168),
            new MetricDefinition("revenue", "purchase", MetricKind.MEAN, null)));
    fields.put(ExperimentField.PRIMARY_METRIC, "purchase");
    fields.put(ExperimentField.SAMPLE_SIZE_TARGET, target);
    fields.put(ExperimentField.SEQUENTIAL, sequential);
    fields.put(ExperimentField.LOOKS, looks);
    fields.put(ExperimentField.SALT, "salt");
    fields.put(ExperimentField.PHASE, 1);
    fields.put(ExperimentField.STATUS, ExperimentStatus.RUNNING);
    fields.put(ExperimentField.VERSION, 1L);
    fields.put(ExperimentField.CREATED_AT, AS_OF);
    fields.put(ExperimentField.UPDATED_AT, AS_OF);
    return Experiment.draft(
            "checkout-button",
            "Green",
            10000,
            List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)))
        .with(fields);
  }

  public static ExperimentTotals totals(
      long control, long green, long convA, long convB, long multi) {
    return new ExperimentTotals(
        "checkout-button",
        1,
        AS_OF,
        Map.of("control", control, "green", green),
        Map.of(
            "purchase",
            Map.of(
                "control", new MetricSums(convA, convA, convA, 0, 0, 0),
                "green", new MetricSums(convB, convB, convB, 0, 0, 0)),
            "revenue",
            Map.of(
                "control", new MetricSums(convA, convA * 50.0, convA * 3000.0, 0, 0, 0),
                "green", new MetricSums(convB, convB * 52.0, convB * 3200.0, 0, 0, 0))),
        Map.of(),
        multi);
  }

  static ResultsDocument build(Experiment e, ExperimentTotals t) {
    return ResultsBuilder.build(e, t, null).document();
  }

  @Test
  void proportionComparisonIsTheEnginesTwoProportionTestWithUnitsAsN() {
    var doc =
        build(experiment(SequentialMethod.NONE, null, null), totals(10000, 10000, 800, 880, 0));
    var purchase = doc.metrics().get(0);
    assertThat(purchase.metric()).isEqualTo("purchase");
    assertThat(purchase.kind()).isEqualTo("proportion");
    assertThat(purchase.variants().get(0).n()).isEqualTo(10000);
    assertThat(purchase.variants().get(0).mean()).isCloseTo(0.08, within(1e-12));
    // sample variance of 800 ones and 9200 zeros: 0.08·0.92·10000/9999
    assertThat(purchase.variants().get(0).variance())
        .isCloseTo(0.0736 * 10000 / 9999, within(1e-12));
    Comparison c = purchase.comparisons().get(0);
    var expected =
        TwoProportion.test(
            new ProportionSummary(10000, 800), new ProportionSummary(10000, 880), 0.05, false);
    assertThat(c.variant()).isEqualTo("green");
    assertThat(c.baseline()).isEqualTo("control");
    assertThat(c.diff()).isCloseTo(0.008, within(1e-12));
    assertThat(c.pValue()).isEqualTo(expected.pValue());
    // R 4.2.2: prop.test(c(880, 800), c(10000, 10000), correct = FALSE)$p.value = 0.04141706
    assertThat(c.pValue()).isCloseTo(0.04141706, within(1e-8));
    assertThat(c.probabilityToBeat()).isGreaterThan(0.95);
  }

  @Test
  void adjustedPValuesAreBenjaminiHochbergAcrossMetricsAndVariants() {
    var doc =
        build(experiment(SequentialMethod.NONE, null, null), totals(10000, 10000, 800, 880, 0));
    Double pPurchase = doc.metrics().get(0).comparisons().get(0).pValue();
    Double pRevenue = doc.metrics().get(1).comparisons().get(0).pValue();
    var revenueRaw =
        Welch.test(
            new MeanSummary(10000, 800 * 50.0, 800 * 3000.0),
            new MeanSummary(10000, 880 * 52.0, 880 * 3200.0),
            0.05);
    assertThat(pRevenue).isEqualTo(revenueRaw.pValue());
    List<Double> bh =
        MultipleTesting.adjust(MultipleTesting.Method.BH, List.of(pPurchase, pRevenue));
    assertThat(doc.metrics().get(0).comparisons().get(0).adjustedPValue()).isEqualTo(bh.get(0));
    assertThat(doc.metrics().get(1).comparisons().get(0).adjustedPValue()).isEqualTo(bh.get(1));
    // the purchase p (0.0414) is the larger of the two, so BH leaves it as it is: significant
    assertThat(doc.metrics().get(0).comparisons().get(0).verdict()).isEqualTo("significant");
  }

  @Test
  void warnsOfSrmMultipleExposuresAndPeekingAtAFixedHorizonBeforeItsTarget() {
    // 10000 vs 9000 at 50/50: chi2 = 52.6, p = 4e-13 (R: chisq.test(c(10000, 9000))$p.value)
    var doc =
        build(experiment(SequentialMethod.NONE, 40000L, null), totals(10000, 9000, 800, 880, 3));
    assertThat(doc.srm().mismatch()).isTrue();
    assertThat(doc.srm().pValue()).isLessThan(1e-12);
    assertThat(doc.warnings())
        .containsExactly(
            "srm", "below_sample_size_target", "multiple_exposures", "peeking_fixed_horizon");
  }

  @Test
  void aSequentialTestBelowTargetIsNotPeeking() {
    var doc =
        build(experiment(SequentialMethod.MSPRT, 40000L, null), totals(10000, 10000, 800, 880, 0));
    assertThat(doc.warnings()).containsExactly("below_sample_size_target");
    assertThat(doc.srm().mismatch()).isFalse();
  }

  @Test
  void msprtVerdictReadsTheRunningMinimumOfTheAlwaysValidPValue() {
    Experiment e = experiment(SequentialMethod.MSPRT, null, null);
    var first = ResultsBuilder.build(e, totals(10000, 10000, 800, 1000, 0), null);
    Double strong = first.document().metrics().get(0).comparisons().get(0).alwaysValidPValue();
    assertThat(strong).isNotNull().isLessThan(0.05);
    assertThat(first.document().metrics().get(0).comparisons().get(0).verdict())
        .isEqualTo("significant");

    // the effect fades: this look's value is larger, the reported one stays at the minimum
    var second = ResultsBuilder.build(e, totals(20000, 20000, 1600, 1610, 0), first.ledger());
    Comparison later = second.document().metrics().get(0).comparisons().get(0);
    assertThat(later.alwaysValidPValue()).isEqualTo(strong);
    assertThat(later.pValue()).isGreaterThan(0.5);

    // a new phase starts over
    var fresh =
        ResultsBuilder.build(
            e,
            totals(20000, 20000, 1600, 1610, 0),
            new SequentialLedger(0, first.ledger().comparisons(), first.ledger().looks()));
    assertThat(fresh.document().metrics().get(0).comparisons().get(0).alwaysValidPValue())
        .isGreaterThan(strong);
  }

  @Test
  void obfVerdictNeedsTheBoundaryOfALookThatHappened() {
    // z = 2.0393 (R: sqrt of prop.test(...)$statistic), p = 0.0414: significant at a fixed horizon,
    // but at look 1 of 5 the OBF boundary
    // is 4.877 (rpact), at the last look 2.031
    var early =
        build(experiment(SequentialMethod.OBF, 100000L, 5), totals(10000, 10000, 800, 880, 0));
    assertThat(early.metrics().get(0).comparisons().get(0).verdict()).isEqualTo("trending");
    var last =
        build(experiment(SequentialMethod.OBF, 20000L, 5), totals(10000, 10000, 800, 880, 0));
    assertThat(last.metrics().get(0).comparisons().get(0).verdict()).isEqualTo("significant");
    var sequential = last.metrics().get(0).comparisons().get(0).sequential();
    assertThat(sequential.method()).isEqualTo("obf");
    assertThat(sequential.look()).isEqualTo(5);
    assertThat(sequential.looks()).isEqualTo(5);
    assertThat(sequential.informationFraction()).isEqualTo(1.0);
    assertThat(sequential.boundary()).isCloseTo(2.0310320481658, within(2e-6)); // rpact
    assertThat(sequential.crossed()).isTrue();
    assertThat(sequential.crossedAtLook()).isEqualTo(5);
    assertThat(sequential.history()).hasSize(1);
    var before = early.metrics().get(0).comparisons().get(0).sequential();
    assertThat(before.look()).isEqualTo(1);
    assertThat(before.informationFraction()).isEqualTo(0.2);
    assertThat(before.crossed()).isFalse();
  }

  @Test
  void obfBetweenLooksTestsNothingNew() {
    // look 1 at 20000 units (z = 2.04 < 4.877); at 38000 units z = 6.3 but no look has come yet
    Experiment e = experiment(SequentialMethod.OBF, 100000L, 5);
    var first = ResultsBuilder.build(e, totals(10000, 10000, 800, 880, 0), null);
    var between = ResultsBuilder.build(e, totals(19000, 19000, 1520, 1862, 0), first.ledger());
    Comparison c = between.document().metrics().get(0).comparisons().get(0);
    assertThat(c.pValue()).isLessThan(1e-6);
    assertThat(c.verdict()).isEqualTo("trending");
    assertThat(c.sequential().look()).isEqualTo(1);
  }

  @Test
  void msprtDocumentShowsTheRunningConfidenceSequence() {
    Experiment e = experiment(SequentialMethod.MSPRT, 40000L, null);
    var first = ResultsBuilder.build(e, totals(10000, 10000, 800, 1000, 0), null);
    var second = ResultsBuilder.build(e, totals(20000, 20000, 1600, 1610, 0), first.ledger());
    Comparison c = second.document().metrics().get(0).comparisons().get(0);
    // python/scipy (SequentialLedgerTest): the first look's low end, the second look's high end
    assertThat(c.csLow()).isCloseTo(0.007131099238130871, within(1e-12));
    assertThat(c.csHigh()).isCloseTo(0.009392137708939718, within(1e-12));
    assertThat(c.sequential().method()).isEqualTo("msprt");
    assertThat(c.sequential().informationFraction()).isEqualTo(1.0);
    assertThat(c.sequential().boundary()).isEqualTo(0.05);
    assertThat(c.sequential().crossed()).isTrue();
    assertThat(ResultsJson.tree(second.document()).at("/metrics/0/comparisons/0/csLow").isNumber())
        .isTrue();
  }

  @Test
  void anExperimentWithoutUnitsYetGivesNullsNotErrors() {
    var doc = build(experiment(SequentialMethod.MSPRT, 1000L, null), totals(0, 0, 0, 0, 0));
    Comparison c = doc.metrics().get(0).comparisons().get(0);
    assertThat(c.pValue()).isNull();
    assertThat(c.verdict()).isEqualTo("not_significant");
    assertThat(doc.srm().pValue()).isNull();
    assertThat(ResultsJson.tree(doc).at("/metrics/0/comparisons/0").has("pValue")).isTrue();
    assertThat(ResultsJson.tree(doc).at("/metrics/0/comparisons/0/pValue").isNull()).isTrue();
  }
}
