package org.abtest.analytics.stats;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The calculator behind {@code POST /v1/analysis}: validates a request of summary statistics,
 * compares every variant with the baseline, adjusts the p-values across those comparisons and
 * attaches the SRM check, Bayesian summaries, mSPRT and CUPED where asked. Invalid input throws
 * {@link IllegalArgumentException} whose message starts with the offending field's path.
 */
public final class AnalysisEngine {
  private AnalysisEngine() {}

  public static AnalysisResult analyze(AnalysisRequest r) {
    return analyze(r, Budget.unlimited());
  }

  /** As above, checking the budget's deadline between comparisons. */
  public static AnalysisResult analyze(AnalysisRequest r, Budget budget) {
    Num.require(r != null, "body is required");
    String kind = r.kind() == null ? "" : r.kind().toLowerCase(Locale.ROOT);
    Num.require(
        kind.equals("mean") || kind.equals("proportion"), "kind must be mean or proportion");
    boolean means = kind.equals("mean");
    double alpha = Num.probability(r.alpha() == null ? 0.05 : r.alpha(), "alpha");
    MultipleTesting.Method correction = MultipleTesting.Method.parse(r.correction(), "correction");
    boolean yates = Boolean.TRUE.equals(r.continuityCorrection());
    Double tau2 = sequentialTau2(r.sequential());
    List<AnalysisRequest.Variant> variants = r.variants();
    Num.require(
        variants != null && variants.size() >= 2, "variants must list at least two variants");

    Set<String> keys = new HashSet<>();
    int base = -1;
    List<MeanSummary> meanArms = new ArrayList<>();
    List<ProportionSummary> propArms = new ArrayList<>();
    List<Long> units = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      AnalysisRequest.Variant v = variants.get(i);
      String path = "variants[" + i + "].";
      Num.require(v != null && v.key() != null, path + "key is required");
      Num.require(keys.add(v.key()), path + "key is duplicated: " + v.key());
      Num.require(v.n() != null, path + "n is required");
      if (v.key().equals(r.baseline())) {
        base = i;
      }
      try {
        if (means) {
          Num.require(v.sum() != null, "sum is required for kind mean");
          Num.require(v.sumSquares() != null, "sumSquares is required for kind mean");
          meanArms.add(new MeanSummary(v.n(), v.sum(), v.sumSquares()));
        } else {
          Num.require(v.conversions() != null, "conversions is required for kind proportion");
          propArms.add(new ProportionSummary(v.n(), v.conversions()));
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + e.getMessage(), e);
      }
      units.add(v.n());
    }
    if (r.baseline() == null) {
      base = 0;
    }
    Num.require(base >= 0, "baseline names no variant: " + r.baseline());
    Srm srm = r.weights() == null ? null : Srm.check(units, r.weights());

    List<AnalysisResult.Comparison> raw = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      if (i == base) {
        continue;
      }
      budget.check();
      String variant = variants.get(i).key();
      String baseline = variants.get(base).key();
      raw.add(
          means
              ? compareMeans(r, base, i, meanArms, variant, baseline, alpha, tau2)
              : compareProportions(
                  propArms.get(base), propArms.get(i), variant, baseline, alpha, yates, tau2));
    }
    List<Double> adjusted =
        MultipleTesting.adjust(
            correction, raw.stream().map(AnalysisResult.Comparison::pValue).toList());
    List<AnalysisResult.Comparison> out = new ArrayList<>();
    for (int k = 0; k < raw.size(); k++) {
      out.add(withAdjusted(raw.get(k), adjusted.get(k), alpha));
    }
    return new AnalysisResult(srm, List.copyOf(out));
  }

  private static Double sequentialTau2(AnalysisRequest.Sequential s) {
    if (s == null || s.method() == null || s.method().equalsIgnoreCase("none")) {
      return null;
    }
    Num.require(s.method().equalsIgnoreCase("msprt"), "sequential.method must be none or msprt");
    Num.require(
        s.tau2() != null && s.tau2() > 0 && Double.isFinite(s.tau2()),
        "sequential.tau2 must be a number > 0 for msprt");
    return s.tau2();
  }

  private static AnalysisResult.Comparison compareMeans(
      AnalysisRequest r,
      int base,
      int i,
      List<MeanSummary> arms,
      String variant,
      String baseline,
      double alpha,
      Double tau2) {
    MeanSummary a = arms.get(base);
    MeanSummary b = arms.get(i);
    WelchResult w = Welch.test(a, b, alpha);
    double se = Num.raw(w.se());
    Bayesian.Result bayes = Bayesian.means(Num.raw(w.diff()), se);
    CovariateSums xA = r.variants().get(base).covariate();
    CovariateSums xB = r.variants().get(i).covariate();
    CupedResult cuped = null;
    if (xA != null && xB != null) {
      try {
        cuped = Cuped.adjust(a, xA, b, xB, alpha);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("variants[" + i + "]." + e.getMessage(), e);
      }
    }
    Double avp = null;
    Interval cs = Interval.UNDEFINED;
    if (tau2 != null) {
      avp = Msprt.pValue(Num.raw(w.diff()), se * se, tau2);
      cs = Msprt.confidenceSequence(Num.raw(w.diff()), se * se, tau2, alpha);
    }
    return new AnalysisResult.Comparison(
        variant,
        baseline,
        w.diff(),
        w.ciLow(),
        w.ciHigh(),
        w.statistic(),
        w.df(),
        w.pValue(),
        null,
        w.relLift(),
        w.relCiLow(),
        w.relCiHigh(),
        w.cohensD(),
        bayes.probabilityToBeat(),
        bayes.expectedLoss(),
        avp,
        cs.low(),
        cs.high(),
        cuped,
        null);
  }

  private static AnalysisResult.Comparison compareProportions(
      ProportionSummary a,
      ProportionSummary b,
      String variant,
      String baseline,
      double alpha,
      boolean yates,
      Double tau2) {
    ProportionResult p = TwoProportion.test(a, b, alpha, yates);
    Bayesian.Result bayes =
        a.n() == 0 && b.n() == 0 ? new Bayesian.Result(null, null) : Bayesian.proportions(a, b);
    Double avp = null;
    Interval cs = Interval.UNDEFINED;
    if (tau2 != null) {
      double pA = a.rateRaw();
      double pB = b.rateRaw();
      double variance = pA * (1 - pA) / a.n() + pB * (1 - pB) / b.n();
      avp = Msprt.pValue(pB - pA, variance, tau2);
      cs = Msprt.confidenceSequence(pB - pA, variance, tau2, alpha);
    }
    return new AnalysisResult.Comparison(
        variant,
        baseline,
        p.diff(),
        p.ciLow(),
        p.ciHigh(),
        p.statistic(),
        null,
        p.pValue(),
        null,
        p.relLift(),
        p.relCiLow(),
        p.relCiHigh(),
        null,
        bayes.probabilityToBeat(),
        bayes.expectedLoss(),
        avp,
        cs.low(),
        cs.high(),
        null,
        null);
  }

  private static AnalysisResult.Comparison withAdjusted(
      AnalysisResult.Comparison c, Double adjusted, double alpha) {
    return new AnalysisResult.Comparison(
        c.variant(),
        c.baseline(),
        c.diff(),
        c.ciLow(),
        c.ciHigh(),
        c.statistic(),
        c.df(),
        c.pValue(),
        adjusted,
        c.relLift(),
        c.relCiLow(),
        c.relCiHigh(),
        c.cohensD(),
        c.probabilityToBeat(),
        c.expectedLoss(),
        c.alwaysValidPValue(),
        c.csLow(),
        c.csHigh(),
        c.cuped(),
        Verdict.of(adjusted, alpha).json());
  }
}
