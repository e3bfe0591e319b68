package org.abtest.analytics.calculator;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.abtest.analytics.stats.CupedResult;
import org.abtest.analytics.stats.Srm;

/**
 * The answer of {@code POST /v1/analysis} as it is written: field names and their order are the
 * API's and every undefined number is {@code null}. {@link AnalysisWire#result} fills it from the
 * engine's typed {@code Analysis}; nothing else builds it.
 *
 * @param srm {@code null} when the request had no weights
 * @param segments each segment's answer, in the request's order; {@code null} without segments
 */
public record AnalysisResult(
    Srm srm,
    List<Comparison> comparisons,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Segment> segments) {

  /** Without segments. */
  public AnalysisResult(Srm srm, List<Comparison> comparisons) {
    this(srm, comparisons, null);
  }

  /**
   * One segment's SRM check (with the request's weights) and comparisons; their {@code
   * adjustedPValue} and {@code verdict} are across every segment's comparisons together.
   */
  public record Segment(String value, Srm srm, List<Comparison> comparisons) {}

  /**
   * One variant against the baseline. {@code df} and {@code cohensD} are for means only; {@code
   * alwaysValidPValue}, {@code csLow} and {@code csHigh} need {@code sequential.method = msprt};
   * {@code cuped} needs covariates on both arms. {@code verdict} reads the adjusted p-value.
   */
  public record Comparison(
      String variant,
      String baseline,
      Double diff,
      Double ciLow,
      Double ciHigh,
      Double statistic,
      Double df,
      Double pValue,
      Double adjustedPValue,
      Double relLift,
      Double relCiLow,
      Double relCiHigh,
      Double cohensD,
      Double probabilityToBeat,
      Double expectedLoss,
      Double alwaysValidPValue,
      Double csLow,
      Double csHigh,
      CupedResult cuped,
      String verdict) {}
}
