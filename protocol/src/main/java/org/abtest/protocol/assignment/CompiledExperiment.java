package org.abtest.protocol.assignment;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * One experiment ready for evaluation: its condition compiled, its variant ranges computed, its
 * layer resolved to an index into the manifest's layer table, and one {@link Assignment} per
 * variant built once so that evaluating allocates nothing per experiment.
 *
 * @param conditionSlot index into {@link CompiledManifest}'s distinct conditions, or {@link
 *     ConditionTable#EVERYONE} without targeting
 * @param layer index into {@link CompiledManifest}'s layer prefixes, or -1 without a layer
 * @param rangeEnds variant i owns {@code [rangeStarts[i], rangeEnds[i])}
 */
record CompiledExperiment(
    String key,
    SaltedBucketer.Prefix saltPrefix,
    boolean respectsHoldout,
    int conditionSlot,
    int layer,
    SlotRange layerSlots,
    int[] rangeStarts,
    int[] rangeEnds,
    Assignment[] assignments,
    Map<String, Assignment> byVariant,
    Map<String, Assignment> overrides) {

  /**
   * Compiles strictly: a condition the admin API would refuse, or an override naming no variant, is
   * an error here, and the caller leaves the experiment out (it assigns nobody) rather than guess.
   */
  static CompiledExperiment compile(ManifestExperiment e, int layer, ConditionTable conditions) {
    List<Variant> variants = e.variants();
    int n = variants.size();
    int[] starts = new int[n];
    int[] ends = new int[n];
    Assignment[] assignments = new Assignment[n];
    Map<String, Assignment> byVariant = new HashMap<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      Variant v = variants.get(i);
      starts[i] = start;
      ends[i] = start + (int) ((long) e.coverage() * v.weight() / Bucketing.BUCKETS);
      start += v.weight();
      assignments[i] = new Assignment(e.key(), v.key(), v.config());
      byVariant.put(v.key(), assignments[i]);
    }
    Map<String, Assignment> overrides = new HashMap<>();
    e.overrides()
        .forEach(
            (unit, variant) -> {
              Assignment forced = byVariant.get(variant);
              if (forced == null) {
                throw new IllegalArgumentException(
                    "override for unit " + unit + " names unknown variant " + variant);
              }
              overrides.put(unit, forced);
            });
    return new CompiledExperiment(
        e.key(),
        SaltedBucketer.prefix(e.salt()),
        e.holdout(),
        conditions.slotOf(e.targeting()),
        layer,
        e.layerSlots(),
        starts,
        ends,
        assignments,
        Map.copyOf(byVariant),
        Map.copyOf(overrides));
  }

  /** The variant whose range holds this bucket, or null when it falls outside the coverage. */
  Assignment variantFor(int bucket) {
    for (int i = 0; i < rangeEnds.length; i++) {
      if (bucket >= rangeStarts[i] && bucket < rangeEnds[i]) {
        return assignments[i];
      }
    }
    return null;
  }
}
