package org.abtest.analytics.calculator;

import java.util.List;
import org.abtest.analytics.stats.CovariateSums;
import org.abtest.analytics.stats.Msprt;

/**
 * The body of {@code POST /v1/analysis}; field names are the API's. Optional fields are boxed and
 * may be {@code null}; {@link AnalysisWire#spec} validates, applies defaults and turns it into the
 * engine's typed {@code AnalysisSpec}.
 *
 * @param kind {@code mean}, {@code proportion} or {@code ratio}
 * @param alpha two-sided level, default 0.05
 * @param baseline key of the control variant, default the first variant
 * @param correction {@code bh} (default), {@code holm}, {@code bonferroni} or {@code none}, across
 *     the comparisons of this request
 * @param weights traffic weights, one per variant, on any scale (basis points, shares such as
 *     {@code [0.5, 0.5]}, relative weights such as {@code [1, 2]}); turns on the SRM check
 * @param sequential optional always-valid inference
 * @param continuityCorrection Yates' correction for proportions, default false
 * @param segments the same variants within each segment (a dimension's values, such as countries),
 *     each analysed as the whole is, with {@code correction} across every segment's comparisons
 *     together; optional
 */
public record AnalysisRequest(
    String kind,
    Double alpha,
    String baseline,
    String correction,
    List<Variant> variants,
    List<Double> weights,
    Sequential sequential,
    Boolean continuityCorrection,
    List<Segment> segments) {

  /** Without segments. */
  public AnalysisRequest(
      String kind,
      Double alpha,
      String baseline,
      String correction,
      List<Variant> variants,
      List<Double> weights,
      Sequential sequential,
      Boolean continuityCorrection) {
    this(
        kind,
        alpha,
        baseline,
        correction,
        variants,
        weights,
        sequential,
        continuityCorrection,
        null);
  }

  /** One segment: its value and the variants' aggregates over its units, as {@code variants}. */
  public record Segment(String value, List<Variant> variants) {}

  /**
   * One variant's aggregates: {@code sum}/{@code sumSquares} for means (a ratio's numerator),
   * {@code conversions} for proportions; {@code covariate} turns on CUPED (means only); {@code
   * denominator} for ratios.
   */
  public record Variant(
      String key,
      Long n,
      Double sum,
      Double sumSquares,
      Long conversions,
      CovariateSums covariate,
      Denominator denominator) {

    public Variant(
        String key,
        Long n,
        Double sum,
        Double sumSquares,
        Long conversions,
        CovariateSums covariate) {
      this(key, n, sum, sumSquares, conversions, covariate, null);
    }
  }

  /**
   * A ratio's per-unit denominators d over the variant's units: Σd, Σd², and Σyd with the
   * numerators y.
   */
  public record Denominator(Double sum, Double sumSquares, Double sumProducts) {}

  /**
   * @param method {@code none} or {@code msprt}
   * @param tau2 mixing variance of the mSPRT, on the squared scale of the difference (see {@link
   *     Msprt})
   */
  public record Sequential(String method, Double tau2) {}
}
