package org.abtest.analytics.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.abtest.analytics.results.ResultsDocument.LookResult;
import org.abtest.analytics.results.ResultsDocument.Sequential;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.SequentialMethod;

/** A comparison's {@code sequential} field, read from the ledger. */
final class SequentialView {

  private SequentialView() {}

  static Sequential of(
      Experiment e, long units, SequentialLedger ledger, String key, boolean significant) {
    String method = e.sequential().name().toLowerCase(Locale.ROOT);
    Double fraction = SequentialLedger.informationFraction(e, units);
    if (e.sequential() == SequentialMethod.NONE) {
      return new Sequential(method, null, null, fraction, null, false, null, List.of());
    }
    SequentialLedger.Running running = ledger == null ? null : ledger.comparisons().get(key);
    if (e.sequential() == SequentialMethod.MSPRT) {
      return new Sequential(method, null, null, fraction, e.alpha(), significant, null, List.of());
    }
    int planned = SequentialLedger.plannedLooks(e);
    List<LookResult> history = new ArrayList<>();
    SequentialLedger.Look last = null;
    if (ledger != null) {
      for (SequentialLedger.Look look : ledger.looks()) {
        Double z = look.statistics().get(key);
        history.add(
            new LookResult(
                look.look(),
                look.at(),
                look.informationFraction(),
                look.boundary(),
                z,
                z != null && Math.abs(z) >= look.boundary()));
        last = look;
      }
    }
    Integer crossedAt = running == null ? null : running.crossedAtLook();
    double boundary = last != null ? last.boundary() : new SequentialRule(e).firstBoundary();
    return new Sequential(
        method,
        last == null ? 0 : last.look(),
        planned,
        fraction,
        boundary,
        significant,
        crossedAt,
        List.copyOf(history));
  }
}
