package org.abtest.analytics.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.abtest.analytics.stats.AnalysisSpec.Arm;
import org.abtest.analytics.stats.AnalysisSpec.MeanArm;
import org.abtest.analytics.stats.AnalysisSpec.ProportionArm;
import org.abtest.analytics.stats.AnalysisSpec.RatioArm;

/**
 * The calculator behind {@code POST /v1/analysis} and the results documents: compares every variant
 * with the baseline, adjusts the p-values across those comparisons and attaches the SRM check,
 * Bayesian summaries, mSPRT and CUPED where asked. Inconsistent input throws {@link
 * IllegalArgumentException} whose message starts with the offending field's path.
 */
public final class AnalysisEngine {
  private AnalysisEngine() {}

  public static Analysis analyze(AnalysisSpec spec) {
    return analyze(spec, Budget.unlimited());
  }

  /** As above, checking the budget's deadline between comparisons. */
  public static Analysis analyze(AnalysisSpec spec, Budget budget) {
    List<Arm> arms = spec.variants();
    Optional<Srm> srm = spec.weights().map(w -> Srm.check(arms.stream().map(Arm::n).toList(), w));
    List<Unadjusted> raw = new ArrayList<>();
    for (int i = 0; i < arms.size(); i++) {
      if (i != spec.baseline()) {
        budget.check();
        raw.add(
            spec.means()
                ? compareMeans(spec, i)
                : spec.ratios() ? compareRatios(spec, i) : compareProportions(spec, i));
      }
    }
    List<Double> adjusted =
        MultipleTesting.adjust(spec.correction(), raw.stream().map(u -> u.test.pValue()).toList());
    List<VariantComparison> out = new ArrayList<>();
    for (int k = 0; k < raw.size(); k++) {
      Unadjusted u = raw.get(k);
      Double p = adjusted.get(k);
      out.add(
          new VariantComparison(
              arms.get(u.variant).key(),
              arms.get(spec.baseline()).key(),
              u.test,
              p,
              Verdict.of(p, spec.alpha()),
              u.bayes,
              u.sequential,
              u.cuped));
    }
    return new Analysis(srm, out);
  }

  /**
   * The same analysis within each segment, with the p-values adjusted across every segment's
   * comparisons together (one family: segments × comparisons), by {@code correction}; each
   * segment's own correction is ignored. A segment where a comparison has no p-value (too few
   * units) keeps it undefined, and it takes no part in the family.
   */
  public static List<Analysis> analyzeSegments(
      List<AnalysisSpec> segments, MultipleTesting.Method correction, Budget budget) {
    List<Analysis> unadjusted = new ArrayList<>(segments.size());
    List<Double> raw = new ArrayList<>();
    for (AnalysisSpec spec : segments) {
      Analysis a = analyze(spec.withCorrection(MultipleTesting.Method.NONE), budget);
      unadjusted.add(a);
      a.comparisons().forEach(c -> raw.add(c.test().pValue()));
    }
    List<Double> adjusted = MultipleTesting.adjust(correction, raw);
    List<Analysis> out = new ArrayList<>(segments.size());
    int k = 0;
    for (int s = 0; s < segments.size(); s++) {
      List<VariantComparison> comparisons = new ArrayList<>();
      for (VariantComparison c : unadjusted.get(s).comparisons()) {
        Double p = adjusted.get(k++);
        comparisons.add(
            new VariantComparison(
                c.variant(),
                c.baseline(),
                c.test(),
                p,
                Verdict.of(p, segments.get(s).alpha()),
                c.bayes(),
                c.sequential(),
                c.cuped()));
      }
      out.add(new Analysis(unadjusted.get(s).srm(), comparisons));
    }
    return out;
  }

  /** A comparison before the adjustment across the family. */
  private record Unadjusted(
      int variant,
      TestResult test,
      Bayesian.Result bayes,
      Optional<SequentialResult> sequential,
      Optional<CupedResult> cuped) {}

  private static Unadjusted compareMeans(AnalysisSpec spec, int i) {
    MeanArm a = (MeanArm) spec.variants().get(spec.baseline());
    MeanArm b = (MeanArm) spec.variants().get(i);
    double alpha = spec.alpha();
    WelchResult w = Welch.test(a.summary(), b.summary(), alpha);
    double diff = Num.raw(w.diff());
    double se = Num.raw(w.se());
    Optional<CupedResult> cuped = Optional.empty();
    if (a.covariate().isPresent() && b.covariate().isPresent()) {
      try {
        cuped =
            Optional.of(
                Cuped.adjust(
                    a.summary(), a.covariate().get(), b.summary(), b.covariate().get(), alpha));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("variants[" + i + "]." + e.getMessage(), e);
      }
    }
    return new Unadjusted(i, w, Bayesian.means(diff, se), sequential(spec, diff, se * se), cuped);
  }

  private static Unadjusted compareRatios(AnalysisSpec spec, int i) {
    RatioSummary a = ((RatioArm) spec.variants().get(spec.baseline())).summary();
    RatioSummary b = ((RatioArm) spec.variants().get(i)).summary();
    WelchResult w = Ratio.test(a, b, spec.alpha());
    double diff = Num.raw(w.diff());
    double se = Num.raw(w.se());
    return new Unadjusted(
        i, w, Bayesian.means(diff, se), sequential(spec, diff, se * se), Optional.empty());
  }

  private static Unadjusted compareProportions(AnalysisSpec spec, int i) {
    ProportionSummary a = ((ProportionArm) spec.variants().get(spec.baseline())).summary();
    ProportionSummary b = ((ProportionArm) spec.variants().get(i)).summary();
    ProportionResult p = TwoProportion.test(a, b, spec.alpha(), spec.continuityCorrection());
    // with no data the Beta(1, 1) priors answer: P(beat) = 1/2, expected loss 1/6
    Bayesian.Result bayes = Bayesian.proportions(a, b);
    double pA = a.rateRaw();
    double pB = b.rateRaw();
    double variance = pA * (1 - pA) / a.n() + pB * (1 - pB) / b.n();
    return new Unadjusted(i, p, bayes, sequential(spec, pB - pA, variance), Optional.empty());
  }

  /** The mSPRT when asked, for a difference whose squared standard error is {@code variance}. */
  private static Optional<SequentialResult> sequential(
      AnalysisSpec spec, double diff, double variance) {
    Sequential s = spec.sequential();
    return s.method() == Sequential.Method.MSPRT
        ? Optional.of(SequentialResult.msprt(diff, variance, s.tau2(), spec.alpha()))
        : Optional.empty();
  }
}
