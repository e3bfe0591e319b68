package org.abtest.analytics.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abtest.analytics.results.ResultsDocument.GuardrailArm;
import org.abtest.analytics.results.ResultsDocument.GuardrailResult;
import org.abtest.analytics.stats.Interval;
import org.abtest.analytics.stats.SequentialResult;
import org.abtest.analytics.stats.VariantComparison;
import org.abtest.protocol.experiment.Guardrail;

/**
 * Where each guardrail stands at these totals. A treatment violates a guardrail when the whole (1 −
 * alpha) mSPRT confidence sequence of its difference from the baseline lies beyond the tolerated
 * change ({@code threshold × |baseline mean|}) in the harmful direction. The confidence sequence
 * covers the true difference at every look at once with probability at least 1 − alpha, so checking
 * it at every change of the totals, for as long as the experiment runs, confirms a harm that is not
 * there with probability at most alpha (per guardrail and treatment); no correction for the number
 * of looks is needed (docs/decisions.md §28).
 *
 * <p>{@code insufficient_data}: the sequence is not defined yet (an arm with fewer than two units,
 * or no variance at all). The guardrail's status is {@code violated} if any treatment violates it,
 * {@code ok} if every treatment has data and none does, else {@code insufficient_data}.
 */
final class GuardrailCheck {

  static final String OK = "ok";
  static final String VIOLATED = "violated";
  static final String INSUFFICIENT_DATA = "insufficient_data";

  private GuardrailCheck() {}

  /**
   * @param baselineMean the metric's baseline mean (null when undefined)
   * @param comparisons the metric's comparisons of every treatment with the baseline, each with its
   *     mSPRT confidence sequence
   */
  static GuardrailResult check(
      Guardrail guardrail, Double baselineMean, List<VariantComparison> comparisons) {
    List<GuardrailArm> arms = new ArrayList<>();
    boolean violated = false;
    boolean allDefined = !comparisons.isEmpty();
    for (VariantComparison c : comparisons) {
      Interval cs = c.sequential().orElse(SequentialResult.UNDEFINED).confidenceSequence();
      Double tolerated =
          baselineMean == null ? null : guardrail.threshold() * Math.abs(baselineMean);
      String status;
      if (cs.low() == null || cs.high() == null || tolerated == null) {
        status = INSUFFICIENT_DATA;
        allDefined = false;
      } else if (harmful(guardrail.direction(), cs, tolerated)) {
        status = VIOLATED;
        violated = true;
      } else {
        status = OK;
      }
      arms.add(
          new GuardrailArm(c.variant(), status, c.test().diff(), cs.low(), cs.high(), tolerated));
    }
    return new GuardrailResult(
        guardrail.metric(),
        guardrail.direction().name().toLowerCase(Locale.ROOT),
        guardrail.threshold(),
        guardrail.action().name().toLowerCase(Locale.ROOT),
        violated ? VIOLATED : allDefined ? OK : INSUFFICIENT_DATA,
        List.copyOf(arms));
  }

  private static boolean harmful(Guardrail.Direction direction, Interval cs, double tolerated) {
    return direction == Guardrail.Direction.INCREASE
        ? cs.low() > tolerated
        : cs.high() < -tolerated;
  }
}
