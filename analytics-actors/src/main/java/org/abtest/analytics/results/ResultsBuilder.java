package org.abtest.analytics.results;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.results.ResultsDocument.Comparison;
import org.abtest.analytics.results.ResultsDocument.MetricResult;
import org.abtest.analytics.results.ResultsDocument.VariantStats;
import org.abtest.analytics.stats.AnalysisEngine;
import org.abtest.analytics.stats.AnalysisSpec;
import org.abtest.analytics.stats.CovariateSums;
import org.abtest.analytics.stats.Cuped;
import org.abtest.analytics.stats.CupedResult;
import org.abtest.analytics.stats.MeanSummary;
import org.abtest.analytics.stats.MultipleTesting;
import org.abtest.analytics.stats.Num;
import org.abtest.analytics.stats.ProportionSummary;
import org.abtest.analytics.stats.RatioSummary;
import org.abtest.analytics.stats.Sequential;
import org.abtest.analytics.stats.SequentialResult;
import org.abtest.analytics.stats.Srm;
import org.abtest.analytics.stats.TestResult;
import org.abtest.analytics.stats.VariantComparison;
import org.abtest.analytics.stats.Verdict;
import org.abtest.protocol.experiment.BuiltInMetrics;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.MetricCap;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.abtest.protocol.experiment.SequentialMethod;
import org.abtest.protocol.experiment.Variant;

/**
 * Builds the results document from an experiment's definition and its merged totals: per metric,
 * every variant against the first (the baseline), p-values adjusted by Benjamini–Hochberg across
 * all metrics × variants, verdicts under the experiment's sequential method, and the warnings.
 *
 * <p>Every exposed unit counts in every metric, with value 0 when it had no such event, so a
 * variant's n is its units (or the metric's own n, if the sums are ahead of the unit counts). For
 * proportions the sum of per-unit values is the number of converted units.
 */
public final class ResultsBuilder {

  /**
   * The mSPRT mixing variance for experiments, which have no τ² of their own: (0.1 σ̂)², with σ̂²
   * the pooled per-unit variance, i.e. mixing over standardized effects of about Cohen's d = 0.1,
   * the size online experiments usually look for.
   */
  static final double MSPRT_EFFECT_SIZE = 0.1;

  private ResultsBuilder() {}

  /**
   * @param previous the experiment's persisted sequential ledger (null if none yet); the document
   *     shows it folded forward to these totals, which is a no-op when it already saw them
   */
  public static ResultsDocument.Built build(
      Experiment experiment, ExperimentTotals totals, SequentialLedger previous) {
    List<Variant> variants = experiment.variants();
    List<Long> units = new ArrayList<>();
    long total = 0;
    for (Variant v : variants) {
      long u = totals.unitsPerVariant().getOrDefault(v.key(), 0L);
      units.add(u);
      total += u;
    }
    Srm srm =
        variants.size() < 2
            ? new Srm(null, null, false)
            : totals.epochs().isEmpty()
                ? Srm.check(units, variants.stream().map(v -> (long) v.weight()).toList())
                : SrmByEpoch.check(totals.epochs());

    List<Metric> metrics = metrics(experiment, totals, units);
    List<Double> raw = new ArrayList<>();
    metrics.forEach(m -> m.comparisons().forEach(c -> raw.add(c.test().pValue())));
    List<Double> adjusted = MultipleTesting.adjust(MultipleTesting.Method.BH, raw);

    SequentialLedger ledger =
        SequentialLedger.advance(experiment, totals, previous, observations(metrics));
    SequentialRule rule = new SequentialRule(experiment);
    boolean msprt = experiment.sequential() == SequentialMethod.MSPRT;
    List<MetricResult> out = new ArrayList<>();
    int k = 0;
    for (Metric m : metrics) {
      List<Comparison> comparisons = new ArrayList<>();
      for (VariantComparison c : m.comparisons()) {
        String key = m.key() + "/" + c.variant();
        SequentialLedger.Running running = ledger == null ? null : ledger.comparisons().get(key);
        Double adj = adjusted.get(k++);
        TestResult test = c.test();
        Verdict verdict = rule.verdict(adj, running, test.statistic());
        comparisons.add(
            new Comparison(
                c.variant(),
                c.baseline(),
                test.diff(),
                test.ciLow(),
                test.ciHigh(),
                test.relLift(),
                test.relCiLow(),
                test.relCiHigh(),
                test.pValue(),
                adj,
                msprt && running != null ? running.alwaysValidPValue() : null,
                msprt && running != null ? running.csLow() : null,
                msprt && running != null ? running.csHigh() : null,
                c.bayes().probabilityToBeat(),
                c.bayes().expectedLoss(),
                verdict.json(),
                m.cuped().get(c.variant()),
                SequentialView.of(experiment, total, ledger, key, verdict == Verdict.SIGNIFICANT)));
      }
      out.add(new MetricResult(m.key(), m.kind(), m.cap(), m.stats(), List.copyOf(comparisons)));
    }

    List<String> warnings =
        Warnings.of(experiment, srm.mismatch(), total, totals.multipleExposureUnits());
    List<ResultsDocument.VariantUnits> variantUnits = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      variantUnits.add(new ResultsDocument.VariantUnits(variants.get(i).key(), units.get(i)));
    }
    ResultsDocument doc =
        new ResultsDocument(
            experiment.key(),
            experiment.phase(),
            totals.asOf(),
            experiment.status().name(),
            new ResultsDocument.SrmSummary(srm.pValue(), srm.mismatch(), totals.epochs()),
            List.copyOf(variantUnits),
            List.copyOf(out),
            guardrails(experiment, metrics, totals),
            funnel(variants, totals),
            new ResultsDocument.DataQuality(totals.multipleExposureUnits()),
            warnings);
    return new ResultsDocument.Built(doc, ledger);
  }

  /** Each comparison's current-look numbers (key {@code metric/variant}), for the ledger. */
  /**
   * The guardrails as {@link #build}'s document shows them, analysing the guarded metrics only:
   * what the experiment aggregator checks at every change of the totals.
   */
  static List<ResultsDocument.GuardrailResult> guardrails(
      Experiment experiment, ExperimentTotals totals) {
    List<Long> units = new ArrayList<>();
    for (Variant v : experiment.variants()) {
      units.add(totals.unitsPerVariant().getOrDefault(v.key(), 0L));
    }
    List<Metric> guarded = new ArrayList<>();
    for (MetricDefinition m : experiment.metrics()) {
      if (experiment.guardrails().stream().anyMatch(g -> g.metric().equals(m.key()))) {
        guarded.add(analyze(experiment, m, totals, units));
      }
    }
    return guardrails(experiment, guarded, totals);
  }

  static Map<String, SequentialLedger.Observation> observe(
      Experiment experiment, ExperimentTotals totals) {
    List<Long> units = new ArrayList<>();
    for (Variant v : experiment.variants()) {
      units.add(totals.unitsPerVariant().getOrDefault(v.key(), 0L));
    }
    return observations(metrics(experiment, totals, units));
  }

  private static List<Metric> metrics(
      Experiment experiment, ExperimentTotals totals, List<Long> units) {
    List<Metric> metrics = new ArrayList<>();
    for (MetricDefinition m : experiment.metrics()) {
      metrics.add(analyze(experiment, m, totals, units));
    }
    return metrics;
  }

  private static Map<String, SequentialLedger.Observation> observations(List<Metric> metrics) {
    Map<String, SequentialLedger.Observation> out = new LinkedHashMap<>();
    for (Metric m : metrics) {
      for (VariantComparison c : m.comparisons()) {
        SequentialResult s = c.sequential().orElse(SequentialResult.UNDEFINED);
        out.put(
            m.key() + "/" + c.variant(),
            new SequentialLedger.Observation(
                c.test().statistic(),
                s.alwaysValidPValue(),
                s.confidenceSequence().low(),
                s.confidenceSequence().high()));
      }
    }
    return out;
  }

  private static List<ResultsDocument.GuardrailResult> guardrails(
      Experiment experiment, List<Metric> metrics, ExperimentTotals totals) {
    List<ResultsDocument.GuardrailResult> out = new ArrayList<>();
    for (Guardrail g : experiment.guardrails()) {
      if (g.metric().equals(BuiltInMetrics.SRM)) {
        out.add(SrmGuardrail.check(g, experiment, totals));
        continue;
      }
      for (Metric m : metrics) {
        if (m.key().equals(g.metric())) {
          Double baseline = m.stats().isEmpty() ? null : m.stats().get(0).mean();
          out.add(GuardrailCheck.check(g, baseline, m.comparisons()));
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<ResultsDocument.FunnelSteps> funnel(
      List<Variant> variants, ExperimentTotals totals) {
    List<ResultsDocument.FunnelSteps> out = new ArrayList<>();
    for (var v : variants) {
      List<Long> steps = totals.funnelSteps().get(v.key());
      if (steps != null && !steps.isEmpty()) {
        out.add(new ResultsDocument.FunnelSteps(v.key(), List.copyOf(steps)));
      }
    }
    return List.copyOf(out);
  }

  private record Metric(
      String key,
      String kind,
      MetricCap cap,
      List<VariantStats> stats,
      List<VariantComparison> comparisons,
      Map<String, ResultsDocument.Cuped> cuped) {}

  private static Metric analyze(
      Experiment experiment, MetricDefinition m, ExperimentTotals totals, List<Long> units) {
    if (m.isRatio()) {
      return analyzeRatio(experiment, m, totals, units);
    }
    boolean proportion = m.kind() == MetricKind.PROPORTION;
    String kind = m.kind().name().toLowerCase(Locale.ROOT);
    Map<String, MetricSums> perVariant = totals.metrics().getOrDefault(m.key(), Map.of());
    List<VariantStats> stats = new ArrayList<>();
    List<AnalysisSpec.Arm> arms = new ArrayList<>();
    List<MeanSummary> ys = new ArrayList<>();
    List<CovariateSums> xs = new ArrayList<>();
    double pooledSum = 0;
    double pooledSquares = 0;
    long pooledN = 0;
    for (int i = 0; i < experiment.variants().size(); i++) {
      String key = experiment.variants().get(i).key();
      MetricSums s = perVariant.getOrDefault(key, MetricSums.ZERO);
      long n = Math.max(units.get(i), s.n());
      double sum = proportion ? Math.min(n, Math.max(0, Math.round(s.sum()))) : s.sum();
      // a unit converts or not: its value is 0 or 1, so the sum of squares is the sum
      double squares = proportion ? sum : s.sumSquares();
      MeanSummary summary = new MeanSummary(n, sum, squares);
      // sums of squares move by differences: clamp a rounding residue below 0 (never a real one)
      CovariateSums x =
          new CovariateSums(s.covSum(), Math.max(0, s.covSumSquares()), s.covSumProducts());
      stats.add(
          new VariantStats(
              key,
              n,
              summary.mean(),
              summary.variance(),
              sum,
              squares,
              new ResultsDocument.CovariateTotals(x.sum(), x.sumSquares(), x.sumProducts()),
              null));
      ys.add(summary);
      xs.add(x);
      arms.add(
          proportion
              ? new AnalysisSpec.ProportionArm(key, new ProportionSummary(n, (long) sum))
              : new AnalysisSpec.MeanArm(key, summary, Optional.empty()));
      pooledSum += sum;
      pooledSquares += squares;
      pooledN += n;
    }
    double variance =
        pooledN > 1
            ? (pooledSquares - pooledSum * pooledSum / pooledN) / (pooledN - 1) // pooled σ̂²
            : Double.NaN;
    List<VariantComparison> comparisons = compare(experiment, m, arms, variance);
    Map<String, ResultsDocument.Cuped> cuped = new HashMap<>();
    for (int i = 1; i < ys.size(); i++) {
      cuped.put(
          experiment.variants().get(i).key(),
          cuped(ys.get(0), xs.get(0), ys.get(i), xs.get(i), experiment.alpha()));
    }
    return new Metric(m.key(), kind, m.cap(), List.copyOf(stats), comparisons, cuped);
  }

  /**
   * Every variant against the first. The p-values are adjusted across all metrics by the caller, so
   * none within one metric; the mSPRT's mixing variance is scaled from the pooled per-unit variance
   * (NaN: none). A guarded metric always gets the mSPRT: its guardrail is watched at every look.
   */
  private static List<VariantComparison> compare(
      Experiment experiment,
      MetricDefinition metric,
      List<AnalysisSpec.Arm> arms,
      double pooledVariance) {
    Sequential sequential = Sequential.NONE;
    boolean guarded =
        experiment.guardrails().stream().anyMatch(g -> g.metric().equals(metric.key()));
    if ((experiment.sequential() == SequentialMethod.MSPRT || guarded) && pooledVariance > 0) {
      sequential = Sequential.msprt(MSPRT_EFFECT_SIZE * MSPRT_EFFECT_SIZE * pooledVariance);
    }
    return AnalysisEngine.analyze(
            new AnalysisSpec(
                arms,
                0,
                experiment.alpha(),
                MultipleTesting.Method.NONE,
                sequential,
                false,
                Optional.empty()))
        .comparisons();
  }

  /**
   * A ratio metric: each variant's numerator sums are the table's value sums, its denominator sums
   * the ones a mean keeps for its covariate ({@link MetricSums}); the delta method compares them.
   */
  private static Metric analyzeRatio(
      Experiment experiment, MetricDefinition m, ExperimentTotals totals, List<Long> units) {
    Map<String, MetricSums> perVariant = totals.metrics().getOrDefault(m.key(), Map.of());
    List<VariantStats> stats = new ArrayList<>();
    List<AnalysisSpec.Arm> arms = new ArrayList<>();
    MetricSums pooled = MetricSums.ZERO;
    for (int i = 0; i < experiment.variants().size(); i++) {
      String key = experiment.variants().get(i).key();
      MetricSums s = perVariant.getOrDefault(key, MetricSums.ZERO);
      MetricSums counted =
          new MetricSums(
              Math.max(units.get(i), s.n()),
              s.sum(),
              Math.max(0, s.sumSquares()),
              s.covSum(),
              Math.max(0, s.covSumSquares()),
              s.covSumProducts());
      RatioSummary summary = ratio(counted);
      stats.add(
          new VariantStats(
              key,
              counted.n(),
              summary.ratio(),
              summary.linearizedVariance(),
              counted.sum(),
              counted.sumSquares(),
              null,
              new ResultsDocument.CovariateTotals(
                  counted.covSum(), counted.covSumSquares(), counted.covSumProducts())));
      arms.add(new AnalysisSpec.RatioArm(key, summary));
      pooled = pooled.plus(counted);
    }
    Double variance = ratio(pooled).linearizedVariance();
    List<VariantComparison> comparisons =
        compare(experiment, m, arms, variance == null ? Double.NaN : variance);
    Map<String, ResultsDocument.Cuped> noCuped = new HashMap<>();
    experiment.variants().forEach(v -> noCuped.put(v.key(), ResultsDocument.Cuped.UNDEFINED));
    return new Metric(m.key(), "ratio", m.cap(), List.copyOf(stats), comparisons, noCuped);
  }

  private static RatioSummary ratio(MetricSums s) {
    return new RatioSummary(
        s.n(), s.sum(), s.sumSquares(), s.covSum(), s.covSumSquares(), s.covSumProducts());
  }

  /**
   * The engine's CUPED on one comparison's sums (a proportion's per-unit values are 0/1, so its
   * sums are those of a mean), with the adjusted means around both arms' pooled covariate mean.
   */
  static ResultsDocument.Cuped cuped(
      MeanSummary yA, CovariateSums xA, MeanSummary yB, CovariateSums xB, double alpha) {
    CupedResult r;
    try {
      r = Cuped.adjust(yA, xA, yB, xB, alpha);
    } catch (IllegalArgumentException e) {
      return ResultsDocument.Cuped.UNDEFINED; // sums that contradict each other: no estimate
    }
    if (r.theta() == null) {
      return ResultsDocument.Cuped.UNDEFINED;
    }
    double theta = r.theta();
    double pooledX = (xA.sum() + xB.sum()) / (yA.n() + yB.n());
    double meanA = yA.sum() / yA.n() - theta * (xA.sum() / yA.n() - pooledX);
    double meanB = yB.sum() / yB.n() - theta * (xB.sum() / yB.n() - pooledX);
    Double relLift = r.diff() == null || meanA == 0 ? null : Num.of(r.diff() / Math.abs(meanA));
    return new ResultsDocument.Cuped(
        r.theta(),
        Num.of(meanA),
        Num.of(meanB),
        r.diff(),
        r.ciLow(),
        r.ciHigh(),
        relLift,
        r.pValue(),
        r.varianceReduction());
  }
}
