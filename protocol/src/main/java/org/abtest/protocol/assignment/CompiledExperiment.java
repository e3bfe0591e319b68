package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkExperiment;
import org.abtest.protocol.manifest.SdkKeys;

/**
 * One experiment ready for evaluation: its condition compiled, its variant ranges computed, its
 * layer resolved to an index into the manifest's layer table, and one {@link Assignment} per
 * variant built once so that evaluating allocates nothing per experiment.
 *
 * @param conditionSlot index into {@link CompiledManifest}'s distinct conditions, or {@link
 *     ConditionTable#EVERYONE} without targeting
 * @param layer index into {@link CompiledManifest}'s layer prefixes, or -1 without a layer
 * @param rangeEnds variant i owns {@code [rangeStarts[i], rangeEnds[i])}
 * @param unitHash null when overrides are keyed by unit id (the internal manifest), else the hash
 *     that keys them (the SDK manifest's)
 * @param shipped a concluded experiment's shipped variant ({@code Manifest.shipped}): its
 *     assignments say so, and it is never live
 * @param serving the variants of non-zero weight, by key: those a stored sticky variant may name
 * @param sticky whether a unit's stored first variant wins over its bucket ({@link StickyBuckets})
 */
record CompiledExperiment(
    String key,
    String salt,
    SaltedBucketer.Prefix saltPrefix,
    boolean respectsHoldout,
    int conditionSlot,
    int layer,
    SlotRange layerSlots,
    int[] rangeStarts,
    int[] rangeEnds,
    Assignment[] assignments,
    Map<String, Assignment> byVariant,
    Map<String, Assignment> overrides,
    SdkKeys.Keyed unitHash,
    boolean shipped,
    Map<String, Assignment> serving,
    boolean sticky) {

  /**
   * Compiles strictly: a condition the admin API would refuse, or an override naming no variant, is
   * an error here, and the caller leaves the experiment out (it assigns nobody) rather than guess.
   */
  static CompiledExperiment compile(
      ManifestExperiment e, int layer, ConditionTable conditions, boolean shipped) {
    return compile(
        e.key(),
        e.salt(),
        e.holdout(),
        e.targeting(),
        e.layerSlots(),
        e.coverage(),
        e.variants(),
        e.overrides(),
        null,
        layer,
        conditions,
        shipped,
        e.sticky());
  }

  /** The SDK manifest's form of the same: the answers are those of the internal one. */
  static CompiledExperiment compile(
      SdkExperiment e, int layer, ConditionTable conditions, boolean shipped) {
    return compile(
        e.key(),
        e.salt(),
        e.holdout(),
        e.targeting(),
        e.layerSlots(),
        e.coverage(),
        e.variants(),
        e.overrides(),
        SdkKeys.keyed(e.salt()),
        layer,
        conditions,
        shipped,
        e.sticky());
  }

  private static CompiledExperiment compile(
      String key,
      String salt,
      boolean holdout,
      JsonNode targeting,
      SlotRange layerSlots,
      int coverage,
      List<Variant> variants,
      Map<String, String> overrideMap,
      SdkKeys.Keyed unitHash,
      int layer,
      ConditionTable conditions,
      boolean shipped,
      boolean sticky) {
    if (shipped) {
      checkShipped(layerSlots, coverage, variants, overrideMap);
    }
    int n = variants.size();
    int[] starts = new int[n];
    int[] ends = new int[n];
    Assignment[] assignments = new Assignment[n];
    Map<String, Assignment> byVariant = new HashMap<>();
    Map<String, Assignment> serving = new HashMap<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      Variant v = variants.get(i);
      starts[i] = start;
      ends[i] = start + (int) ((long) coverage * v.weight() / Bucketing.BUCKETS);
      start += v.weight();
      assignments[i] = new Assignment(key, v.key(), v.config(), shipped);
      byVariant.put(v.key(), assignments[i]);
      if (v.weight() > 0) {
        serving.put(v.key(), assignments[i]);
      }
    }
    Map<String, Assignment> overrides = new HashMap<>();
    overrideMap.forEach(
        (unit, variant) -> {
          Assignment forced = byVariant.get(variant);
          if (forced == null) {
            throw new IllegalArgumentException(
                "override for unit " + unit + " names unknown variant " + variant);
          }
          overrides.put(unit, forced);
        });
    return new CompiledExperiment(
        key,
        salt,
        SaltedBucketer.prefix(salt),
        holdout,
        conditions.slotOf(targeting),
        layer,
        layerSlots,
        starts,
        ends,
        assignments,
        Map.copyOf(byVariant),
        Map.copyOf(overrides),
        overrides.isEmpty() ? null : unitHash,
        shipped,
        Map.copyOf(serving),
        sticky && !shipped);
  }

  /**
   * A shipped entry serves one variant to everyone it targets: any other shape would split units
   * with no exposure logged, so it is refused (the SDKs refuse the same).
   */
  private static void checkShipped(
      SlotRange layerSlots, int coverage, List<Variant> variants, Map<String, String> overrides) {
    if (variants.size() != 1) {
      throw new IllegalArgumentException(variants.size() + " variants, not exactly one");
    }
    if (variants.get(0).weight() != Bucketing.BUCKETS) {
      throw new IllegalArgumentException("its variant's weight is not " + Bucketing.BUCKETS);
    }
    if (coverage != Bucketing.BUCKETS) {
      throw new IllegalArgumentException("its coverage is not " + Bucketing.BUCKETS);
    }
    if (layerSlots != null) {
      throw new IllegalArgumentException("it has a layer");
    }
    if (!overrides.isEmpty()) {
      throw new IllegalArgumentException("it has overrides");
    }
  }

  /** The unit's forced variant from the experiment's own overrides, or null. */
  Assignment overrideFor(String unit) {
    if (overrides.isEmpty()) {
      return null;
    }
    return overrides.get(unitHash == null ? unit : unitHash.hash(SdkKeys.UNIT, unit));
  }

  /**
   * The unit's assignment once it is in the experiment by its bucket ({@code hashed}): the stored
   * first variant of a sticky experiment when it still serves (non-zero weight), else the bucket's.
   * A sticky experiment's bucket answer for a unit with nothing stored is reported to {@code
   * stored} to be kept; a stored variant is never replaced.
   */
  Assignment stickyOr(Assignment hashed, String unit, StickyBuckets stored) {
    if (!sticky || stored == null) {
      return hashed;
    }
    String kept = stored.variant(key, salt, unit);
    if (kept == null) {
      stored.assigned(key, salt, unit, hashed.variant());
      return hashed;
    }
    if (kept.equals(hashed.variant())) {
      return hashed; // most units: the bucket still gives the first variant
    }
    // a stored variant that no longer serves (weight 0, or gone) gives way to the bucket's answer
    // without being replaced: the first variant is the unit's again if it serves again
    Assignment a = serving.get(kept);
    return a != null ? a : hashed;
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
