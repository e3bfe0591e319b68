package org.abtest.analytics.units;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.EpochUnits;

/**
 * Units per weight epoch × variant of one table, kept as units arrive and recounted from the
 * table's first-exposure times whenever the epochs known for its phase change (a bandit moved its
 * weights): so the counts are a function of the log and the stored weight history, whenever the
 * partition learned of an epoch. Not part of snapshots; a restored table recounts on its first
 * sync. Costs epochs × variants longs per table, nothing per unit.
 */
final class EpochCounts {

  private List<WeightEpoch> epochs;
  private long[][] counts; // epoch → variant index → units

  EpochCounts(List<WeightEpoch> epochs) {
    this.epochs = List.copyOf(epochs);
    this.counts = new long[epochs.size()][0];
  }

  /** A new unit of the table, first exposed at {@code ts} to the variant at index {@code v}. */
  void add(long ts, int variant) {
    if (epochs.isEmpty()) {
      return;
    }
    int e = WeightEpoch.indexOf(epochs, ts);
    if (counts[e].length <= variant) {
      counts[e] = Arrays.copyOf(counts[e], variant + 1);
    }
    counts[e][variant]++;
  }

  /** Takes the epochs now known for the table's phase; recounts its units if they changed. */
  boolean sync(List<WeightEpoch> current, UnitTable table) {
    if (current.equals(epochs)) {
      return false;
    }
    epochs = List.copyOf(current);
    counts = new long[epochs.size()][0];
    for (int slot = 0; slot < table.size; slot++) {
      add(table.exposedAt[slot], table.variantIndex(slot));
    }
    return true;
  }

  /** Per epoch, its weights and the units per variant key. */
  List<EpochUnits> summary(List<String> variants) {
    List<EpochUnits> out = new ArrayList<>(epochs.size());
    for (int e = 0; e < epochs.size(); e++) {
      Map<String, Long> units = new LinkedHashMap<>();
      for (int v = 0; v < variants.size(); v++) {
        units.put(variants.get(v), v < counts[e].length ? counts[e][v] : 0L);
      }
      WeightEpoch epoch = epochs.get(e);
      out.add(new EpochUnits(epoch.from(), epoch.weights(), units));
    }
    return List.copyOf(out);
  }
}
