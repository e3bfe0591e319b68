package org.abtest.analytics.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.results.ResultsDocument.GuardrailArm;
import org.abtest.analytics.results.ResultsDocument.GuardrailResult;
import org.abtest.analytics.stats.SequentialSrm;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Guardrail;
import org.abtest.protocol.experiment.Variant;

/**
 * The guardrail on {@code srm}: violated once the anytime-valid sample-ratio test ({@link
 * SequentialSrm}) finds a mismatch at the experiment's alpha, so watching it at every change of the
 * totals triggers falsely with probability at most alpha over the whole run. Each weight epoch of
 * the phase is tested against its own weights. Its arms show each variant's share of the units
 * minus its configured share (no confidence sequence: the test is of all shares at once); its
 * direction and threshold do not apply.
 */
final class SrmGuardrail {

  private SrmGuardrail() {}

  static GuardrailResult check(Guardrail g, Experiment e, ExperimentTotals totals) {
    SequentialSrm test = SequentialSrm.check(epochs(e, totals));
    String status =
        test.units() == 0
            ? GuardrailCheck.INSUFFICIENT_DATA
            : test.mismatch(e.alpha()) ? GuardrailCheck.VIOLATED : GuardrailCheck.OK;
    long total = 0;
    for (Variant v : e.variants()) {
      total += totals.unitsPerVariant().getOrDefault(v.key(), 0L);
    }
    List<GuardrailArm> arms = new ArrayList<>();
    for (Variant v : e.variants()) {
      Double diff =
          total == 0
              ? null
              : totals.unitsPerVariant().getOrDefault(v.key(), 0L) / (double) total
                  - v.weight() / (double) Bucketing.BUCKETS;
      arms.add(new GuardrailArm(v.key(), status, diff, null, null, null));
    }
    return new GuardrailResult(
        g.metric(),
        g.direction().name().toLowerCase(Locale.ROOT),
        g.threshold(),
        g.action().name().toLowerCase(Locale.ROOT),
        status,
        List.copyOf(arms));
  }

  /** Each epoch's units against its weights ({@link SrmByEpoch}); without a history, today's. */
  private static List<SequentialSrm.Epoch> epochs(Experiment e, ExperimentTotals totals) {
    if (totals.epochs().isEmpty()) {
      List<Integer> weights = new ArrayList<>();
      List<Long> units = new ArrayList<>();
      for (Variant v : e.variants()) {
        weights.add(v.weight());
        units.add(totals.unitsPerVariant().getOrDefault(v.key(), 0L));
      }
      return List.of(new SequentialSrm.Epoch(weights, units));
    }
    return SrmByEpoch.epochs(totals.epochs()).stream()
        .map(epoch -> new SequentialSrm.Epoch(epoch.weights(), epoch.units()))
        .toList();
  }
}
