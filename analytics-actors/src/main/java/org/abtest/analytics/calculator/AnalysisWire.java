package org.abtest.analytics.calculator;

import static org.abtest.analytics.stats.Num.require;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.abtest.analytics.stats.Analysis;
import org.abtest.analytics.stats.AnalysisEngine;
import org.abtest.analytics.stats.AnalysisSpec;
import org.abtest.analytics.stats.Budget;
import org.abtest.analytics.stats.MeanSummary;
import org.abtest.analytics.stats.MultipleTesting;
import org.abtest.analytics.stats.Num;
import org.abtest.analytics.stats.ProportionSummary;
import org.abtest.analytics.stats.RatioSummary;
import org.abtest.analytics.stats.Sequential;
import org.abtest.analytics.stats.SequentialResult;
import org.abtest.analytics.stats.TestResult;
import org.abtest.analytics.stats.VariantComparison;
import org.abtest.analytics.stats.WelchResult;

/**
 * {@code POST /v1/analysis} at the edge: the one mapping between its JSON records ({@link
 * AnalysisRequest}, {@link AnalysisResult}) and the engine's typed {@link AnalysisSpec} and {@link
 * Analysis}. Parsing applies the API's defaults and names the field at fault in every error.
 */
public final class AnalysisWire {
  private AnalysisWire() {}

  public static AnalysisResult analyze(AnalysisRequest r) {
    return analyze(r, Budget.unlimited());
  }

  /**
   * The whole, and with {@code segments} each segment, analysed alike; the segments' p-values are
   * adjusted across all of them together by the request's {@code correction}.
   */
  public static AnalysisResult analyze(AnalysisRequest r, Budget budget) {
    AnalysisSpec whole = spec(r);
    AnalysisResult result = result(AnalysisEngine.analyze(whole, budget));
    if (r.segments() == null) {
      return result;
    }
    List<AnalysisSpec> specs = new ArrayList<>(r.segments().size());
    Set<String> values = new LinkedHashSet<>();
    for (int i = 0; i < r.segments().size(); i++) {
      AnalysisRequest.Segment segment = r.segments().get(i);
      String path = "segments[" + i + "].";
      require(segment != null, path + "value is required");
      require(
          segment.value() != null && !segment.value().isEmpty(),
          path + "value must be a non-empty string");
      require(values.add(segment.value()), path + "value repeats " + segment.value());
      require(
          segment.variants() != null && segment.variants().size() == r.variants().size(),
          path + "variants must list the same variants as variants, in the same order");
      for (int v = 0; v < segment.variants().size(); v++) {
        AnalysisRequest.Variant sv = segment.variants().get(v);
        require(
            sv != null && r.variants().get(v).key().equals(sv.key()),
            path + "variants[" + v + "].key must be " + r.variants().get(v).key());
      }
      try {
        specs.add(
            spec(
                new AnalysisRequest(
                    r.kind(),
                    r.alpha(),
                    r.baseline(),
                    r.correction(),
                    segment.variants(),
                    r.weights(),
                    r.sequential(),
                    r.continuityCorrection())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + e.getMessage(), e);
      }
    }
    List<Analysis> analysed = AnalysisEngine.analyzeSegments(specs, whole.correction(), budget);
    List<AnalysisResult.Segment> segments = new ArrayList<>(analysed.size());
    int i = 0;
    for (String value : values) {
      AnalysisResult a = result(analysed.get(i++));
      segments.add(new AnalysisResult.Segment(value, a.srm(), a.comparisons()));
    }
    return new AnalysisResult(result.srm(), result.comparisons(), segments);
  }

  /** The request as the engine's spec; throws {@link IllegalArgumentException} naming the field. */
  public static AnalysisSpec spec(AnalysisRequest r) {
    require(r != null, "body is required");
    String kind = r.kind() == null ? "" : r.kind().toLowerCase(Locale.ROOT);
    require(
        kind.equals("mean") || kind.equals("proportion") || kind.equals("ratio"),
        "kind must be mean, proportion or ratio");
    double alpha = Num.probability(r.alpha() == null ? 0.05 : r.alpha(), "alpha");
    MultipleTesting.Method correction = MultipleTesting.Method.parse(r.correction(), "correction");
    Sequential sequential = sequential(r.sequential());
    List<AnalysisRequest.Variant> variants = r.variants();
    AnalysisSpec.requireVariants(variants);
    Set<String> keys = new LinkedHashSet<>();
    List<AnalysisSpec.Arm> arms = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      AnalysisRequest.Variant v = variants.get(i);
      String path = "variants[" + i + "].";
      AnalysisSpec.requireNewKey(i, v == null ? null : v.key(), keys);
      require(v.n() != null, path + "n is required");
      try {
        arms.add(
            switch (kind) {
              case "mean" -> meanArm(v);
              case "ratio" -> ratioArm(v);
              default -> proportionArm(v);
            });
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + e.getMessage(), e);
      }
    }
    int base = r.baseline() == null ? 0 : List.copyOf(keys).indexOf(r.baseline());
    require(base >= 0, "baseline names no variant: " + r.baseline());
    return new AnalysisSpec(
        arms,
        base,
        alpha,
        correction,
        sequential,
        Boolean.TRUE.equals(r.continuityCorrection()),
        Optional.ofNullable(r.weights()));
  }

  private static AnalysisSpec.Arm meanArm(AnalysisRequest.Variant v) {
    require(v.sum() != null, "sum is required for kind mean");
    require(v.sumSquares() != null, "sumSquares is required for kind mean");
    return new AnalysisSpec.MeanArm(
        v.key(),
        new MeanSummary(v.n(), v.sum(), v.sumSquares()),
        Optional.ofNullable(v.covariate()));
  }

  private static AnalysisSpec.Arm ratioArm(AnalysisRequest.Variant v) {
    require(v.sum() != null, "sum is required for kind ratio (the numerators' sum)");
    require(v.sumSquares() != null, "sumSquares is required for kind ratio");
    AnalysisRequest.Denominator d = v.denominator();
    require(d != null, "denominator is required for kind ratio");
    require(d.sum() != null, "denominator.sum is required");
    require(d.sumSquares() != null, "denominator.sumSquares is required");
    require(d.sumProducts() != null, "denominator.sumProducts is required");
    require(v.covariate() == null, "covariate is not supported for kind ratio");
    return new AnalysisSpec.RatioArm(
        v.key(),
        new RatioSummary(v.n(), v.sum(), v.sumSquares(), d.sum(), d.sumSquares(), d.sumProducts()));
  }

  private static AnalysisSpec.Arm proportionArm(AnalysisRequest.Variant v) {
    require(v.conversions() != null, "conversions is required for kind proportion");
    return new AnalysisSpec.ProportionArm(v.key(), new ProportionSummary(v.n(), v.conversions()));
  }

  private static Sequential sequential(AnalysisRequest.Sequential s) {
    if (s == null || s.method() == null || s.method().equalsIgnoreCase("none")) {
      return Sequential.NONE;
    }
    require(s.method().equalsIgnoreCase("msprt"), "sequential.method must be none or msprt");
    return Sequential.msprt(s.tau2() == null ? Double.NaN : s.tau2());
  }

  /** The engine's answer as the API writes it. */
  public static AnalysisResult result(Analysis a) {
    return new AnalysisResult(
        a.srm().orElse(null), a.comparisons().stream().map(AnalysisWire::comparison).toList());
  }

  private static AnalysisResult.Comparison comparison(VariantComparison c) {
    TestResult t = c.test();
    WelchResult welch = t instanceof WelchResult w ? w : null;
    SequentialResult s = c.sequential().orElse(SequentialResult.UNDEFINED);
    return new AnalysisResult.Comparison(
        c.variant(),
        c.baseline(),
        t.diff(),
        t.ciLow(),
        t.ciHigh(),
        t.statistic(),
        welch == null ? null : welch.df(),
        t.pValue(),
        c.adjustedPValue(),
        t.relLift(),
        t.relCiLow(),
        t.relCiHigh(),
        welch == null ? null : welch.cohensD(),
        c.bayes().probabilityToBeat(),
        c.bayes().expectedLoss(),
        s.alwaysValidPValue(),
        s.confidenceSequence().low(),
        s.confidenceSequence().high(),
        c.cuped().orElse(null),
        c.verdict().json());
  }
}
