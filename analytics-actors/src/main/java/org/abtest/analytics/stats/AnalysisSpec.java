package org.abtest.analytics.stats;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link AnalysisEngine} is asked: the variants' summaries (all means, all proportions or all
 * ratios), which one is the baseline, and the options. Invalid input throws {@link
 * IllegalArgumentException} whose message starts with the field's path, named as in {@code POST
 * /v1/analysis}.
 *
 * @param baseline index of the control in {@code variants}
 * @param alpha two-sided level
 * @param correction across the comparisons of this spec
 * @param continuityCorrection Yates' correction for proportions
 * @param weights traffic weights, one per variant, on any scale (basis points, shares, relative
 *     weights); present turns on the SRM check
 */
public record AnalysisSpec(
    List<Arm> variants,
    int baseline,
    double alpha,
    MultipleTesting.Method correction,
    Sequential sequential,
    boolean continuityCorrection,
    Optional<List<Double>> weights) {

  /** The same analysis with another correction across its comparisons. */
  public AnalysisSpec withCorrection(MultipleTesting.Method method) {
    return new AnalysisSpec(
        variants, baseline, alpha, method, sequential, continuityCorrection, weights);
  }

  /** One variant's summary. */
  public sealed interface Arm permits MeanArm, ProportionArm, RatioArm {
    String key();

    long n();
  }

  /**
   * @param covariate present turns on CUPED (when the baseline has one too)
   */
  public record MeanArm(String key, MeanSummary summary, Optional<CovariateSums> covariate)
      implements Arm {
    public long n() {
      return summary.n();
    }
  }

  /** A ratio metric's arm: numerator and denominator sums with their cross-moments. */
  public record RatioArm(String key, RatioSummary summary) implements Arm {
    public long n() {
      return summary.n();
    }
  }

  public record ProportionArm(String key, ProportionSummary summary) implements Arm {
    public long n() {
      return summary.n();
    }
  }

  public AnalysisSpec {
    requireVariants(variants);
    variants = List.copyOf(variants);
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < variants.size(); i++) {
      Arm v = variants.get(i);
      requireNewKey(i, v.key(), keys);
      Num.require(
          v.getClass() == variants.get(0).getClass(),
          "variants[" + i + "] must be of the same kind as variants[0]");
    }
    Num.require(baseline >= 0 && baseline < variants.size(), "baseline names no variant");
    Num.probability(alpha, "alpha");
    Num.require(correction != null, "correction is required");
    Num.require(sequential != null, "sequential is required");
    Num.require(weights != null, "weights must be present or empty");
  }

  /** At least two variants. The wire mapper checks it before it reads them, with this message. */
  public static void requireVariants(List<?> variants) {
    Num.require(
        variants != null && variants.size() >= 2, "variants must list at least two variants");
  }

  /** Variant {@code i} has a key that {@code seen} does not hold yet; adds it. */
  public static void requireNewKey(int i, String key, Set<String> seen) {
    Num.require(key != null, "variants[" + i + "].key is required");
    Num.require(seen.add(key), "variants[" + i + "].key is duplicated: " + key);
  }

  /** Means (Welch) rather than proportions or ratios. */
  public boolean means() {
    return variants.get(0) instanceof MeanArm;
  }

  /** Ratios (the delta method). */
  public boolean ratios() {
    return variants.get(0) instanceof RatioArm;
  }
}
