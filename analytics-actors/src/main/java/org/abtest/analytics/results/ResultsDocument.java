package org.abtest.analytics.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.abtest.analytics.aggregate.EpochUnits;
import org.abtest.protocol.experiment.MetricCap;

/**
 * The results document of API.md ({@code GET /v1/experiments/{key}/results}), field for field.
 * Undefined numbers are {@code null}.
 */
public record ResultsDocument(
    String experiment,
    int phase,
    Instant asOf,
    String status,
    SrmSummary srm,
    List<VariantUnits> variants,
    List<MetricResult> metrics,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<GuardrailResult> guardrails,
    List<FunnelSteps> funnel,
    DataQuality dataQuality,
    List<String> warnings) {

  /**
   * @param epochs the phase's weight epochs (a bandit's reallocation history): from when, the
   *     weights, and the units per variant first exposed in each; empty when not known
   */
  public record SrmSummary(Double pValue, boolean mismatch, List<EpochUnits> epochs) {
    public SrmSummary {
      epochs = epochs == null ? List.of() : List.copyOf(epochs);
    }

    public SrmSummary(Double pValue, boolean mismatch) {
      this(pValue, mismatch, List.of());
    }
  }

  public record VariantUnits(String variant, long units) {}

  /**
   * @param cap the metric's cap when it has one: its sums and comparisons are of capped values
   */
  public record MetricResult(
      String metric,
      String kind,
      @JsonInclude(JsonInclude.Include.NON_NULL) MetricCap cap,
      List<VariantStats> variants,
      List<Comparison> comparisons) {}

  /**
   * {@code sum} and {@code sumSquares} are the exact per-unit sums the comparisons use (an addition
   * to API.md): with {@code n} they are what {@code POST /v1/analysis} takes, and what a replay of
   * the event log must reproduce. For a ratio metric they are the numerators', {@code mean} is the
   * ratio Σy/Σd, {@code variance} that of the unit's linearized value (n × the delta method's
   * variance of the ratio), {@code denominator} holds the denominators' sums and there is no {@code
   * covariate}.
   */
  public record VariantStats(
      String variant,
      long n,
      Double mean,
      Double variance,
      double sum,
      double sumSquares,
      @JsonInclude(JsonInclude.Include.NON_NULL) CovariateTotals covariate,
      @JsonInclude(JsonInclude.Include.NON_NULL) CovariateTotals denominator) {}

  /**
   * The exact sums of the variant's units' CUPED covariate x (the metric's value in the lookback
   * before each unit's first exposure) and of its products with the metric's value y: what {@code
   * POST /v1/analysis} takes as {@code covariate}.
   */
  public record CovariateTotals(double sum, double sumSquares, double sumProducts) {}

  /**
   * The CUPED-adjusted comparison, from the engine's {@code Cuped} (the same numbers {@code POST
   * /v1/analysis} gives for the same sums). θ is pooled over the two arms; the adjusted means are
   * {@code ȳ − θ(x̄ − x̄ of both arms)}; {@code diff} (treatment − baseline) with its CI and
   * p-value is Welch's test on the adjusted values; {@code relLift} is {@code diff /
   * |baselineMean|} (point estimate only). All null when undefined (fewer than 2 units in an arm,
   * or a covariate without variance, e.g. no pre-exposure events at all).
   */
  public record Cuped(
      Double theta,
      Double baselineMean,
      Double mean,
      Double diff,
      Double ciLow,
      Double ciHigh,
      Double relLift,
      Double pValue,
      Double varianceReduction) {
    public static final Cuped UNDEFINED =
        new Cuped(null, null, null, null, null, null, null, null, null);
  }

  /**
   * One guardrail at these totals ({@code GuardrailCheck}).
   *
   * @param status {@code ok}, {@code violated} or {@code insufficient_data}
   * @param variants each treatment against the baseline
   */
  public record GuardrailResult(
      String metric,
      String direction,
      double threshold,
      String action,
      String status,
      List<GuardrailArm> variants) {}

  /**
   * @param diff the treatment's difference from the baseline
   * @param csLow the (1 − alpha) mSPRT confidence sequence of the difference, at this look
   * @param tolerated the change the guardrail tolerates: threshold × |baseline mean|
   */
  public record GuardrailArm(
      String variant, String status, Double diff, Double csLow, Double csHigh, Double tolerated) {}

  /** Units of a variant reaching each funnel step in order (empty without a funnel). */
  public record FunnelSteps(String variant, List<Long> steps) {}

  /** Units later exposed to another variant than their first: counted once, in the first. */
  public record DataQuality(long multipleExposureUnits) {}

  public record Comparison(
      String variant,
      String baseline,
      Double diff,
      Double ciLow,
      Double ciHigh,
      Double relLift,
      Double relCiLow,
      Double relCiHigh,
      Double pValue,
      Double adjustedPValue,
      Double alwaysValidPValue,
      Double csLow,
      Double csHigh,
      Double probabilityToBeat,
      Double expectedLoss,
      String verdict,
      Cuped cuped,
      Sequential sequential) {}

  /**
   * Where a comparison stands in its sequential design, from the persisted {@link SequentialLedger}
   * (identical on every node and across restarts).
   *
   * @param method {@code none}, {@code msprt} or {@code obf}
   * @param look obf: the last planned look that happened (0 before the first); msprt, none: null
   * @param looks obf: the planned number of looks; otherwise null
   * @param informationFraction units over {@code sampleSizeTarget} (at most 1), null without one
   * @param boundary obf: the |z| boundary of the last look (of the first, before it happens);
   *     msprt: alpha, which the running always-valid p-value must go below; none: null
   * @param crossed obf: |z| reached the boundary at a look; msprt: the always-valid p-value went
   *     below alpha
   * @param crossedAtLook obf: the look at which it was first crossed, or null
   * @param history obf: each look that happened, with this comparison's z then
   */
  public record Sequential(
      String method,
      Integer look,
      Integer looks,
      Double informationFraction,
      Double boundary,
      boolean crossed,
      Integer crossedAtLook,
      List<LookResult> history) {}

  public record LookResult(
      int look,
      Instant at,
      double informationFraction,
      double boundary,
      Double statistic,
      boolean crossed) {}

  /** A document and the sequential ledger folded to its totals. */
  public record Built(ResultsDocument document, SequentialLedger ledger) {}
}
