package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * A manifest compiled once for evaluation (DESIGN.md §3): conditions compiled, variant ranges
 * precomputed, layer salts resolved. Immutable and thread-safe; the server's evaluators and the
 * Java client hold one and call {@link #evaluate} per request, so both give the same answers.
 *
 * <p>Per experiment, in this order: a request override (QA credential only) or the experiment's own
 * override for the unit wins; otherwise a unit in the holdout gets nothing from an experiment that
 * respects the holdout; then the targeting condition must match; then a layered experiment needs
 * the unit's slot {@code bucket(layerSalt, unit)} in its slot range; last, {@code bucket(salt,
 * unit)} picks the variant range, or none outside the coverage.
 *
 * <p>Fail-open: an experiment that cannot be compiled is left out (it assigns nobody and is listed
 * in {@link #problems()}); an error while evaluating one experiment skips that experiment only.
 */
public final class CompiledManifest {

  /** A manifest with nothing in it: what an evaluator answers before the first manifest. */
  public static final CompiledManifest EMPTY = compile(Manifest.EMPTY);

  private final Manifest source;
  private final CompiledExperiment[] experiments;
  private final byte[][] layerPrefixes;
  private final byte[] holdoutPrefix;
  private final SlotRange holdoutRange;
  private final int longestPrefix;
  private final List<String> problems;

  private CompiledManifest(
      Manifest source,
      CompiledExperiment[] experiments,
      byte[][] layerPrefixes,
      List<String> problems) {
    this.source = source;
    this.experiments = experiments;
    this.layerPrefixes = layerPrefixes;
    this.problems = List.copyOf(problems);
    this.holdoutPrefix =
        source.holdout() == null ? null : SaltedBucketer.prefix(source.holdout().salt());
    this.holdoutRange = source.holdout() == null ? null : source.holdout().range();
    int longest = holdoutPrefix == null ? 0 : holdoutPrefix.length;
    for (byte[] p : layerPrefixes) {
      longest = Math.max(longest, p.length);
    }
    for (CompiledExperiment e : experiments) {
      longest = Math.max(longest, e.saltPrefix().length);
    }
    this.longestPrefix = longest;
  }

  /**
   * Compiles every experiment of the manifest. A layer whose salt the manifest lacks is salted with
   * its key, so every evaluator still agrees (the producer of manifests is meant to fill {@code
   * layerSalts}).
   */
  public static CompiledManifest compile(Manifest manifest) {
    List<CompiledExperiment> compiled = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Integer> layerIndex = new HashMap<>();
    List<byte[]> layerPrefixes = new ArrayList<>();
    for (ManifestExperiment e : manifest.experiments()) {
      try {
        int layer = -1;
        if (e.layer() != null && e.layerSlots() != null) {
          layer =
              layerIndex.computeIfAbsent(
                  e.layer(),
                  key -> {
                    layerPrefixes.add(
                        SaltedBucketer.prefix(manifest.layerSalts().getOrDefault(key, key)));
                    return layerPrefixes.size() - 1;
                  });
        }
        compiled.add(CompiledExperiment.compile(e, layer));
      } catch (RuntimeException ex) {
        problems.add(e.key() + ": " + ex.getMessage());
      }
    }
    return new CompiledManifest(
        manifest,
        compiled.toArray(CompiledExperiment[]::new),
        layerPrefixes.toArray(byte[][]::new),
        problems);
  }

  public long version() {
    return source.version();
  }

  /** The manifest this was compiled from, as served by {@code GET /v1/manifest}. */
  public Manifest manifest() {
    return source;
  }

  /** Experiments left out because they could not be compiled, each as "key: reason". */
  public List<String> problems() {
    return problems;
  }

  /** The unit's assignments, in manifest order; attributes may be null (no attributes). */
  public List<Assignment> evaluate(String unit, JsonNode attributes) {
    return evaluate(unit, attributes, Map.of());
  }

  /**
   * As {@link #evaluate(String, JsonNode)}, with request overrides (experiment key → variant key)
   * that win over everything else. Callers honour them only for a QA-capable credential; an
   * override naming an unknown variant is ignored.
   */
  public List<Assignment> evaluate(
      String unit, JsonNode attributes, Map<String, String> requestOverrides) {
    if (unit == null || experiments.length == 0) {
      return List.of();
    }
    SaltedBucketer hasher = new SaltedBucketer(unit, longestPrefix);
    int[] slots = new int[layerPrefixes.length];
    Arrays.fill(slots, -1);
    int holdoutBucket = -1;
    List<Assignment> out = new ArrayList<>(Math.min(experiments.length, 16));
    for (CompiledExperiment e : experiments) {
      try {
        Assignment forced = forced(e, unit, requestOverrides);
        if (forced != null) {
          out.add(forced);
          continue;
        }
        if (e.respectsHoldout() && holdoutRange != null) {
          if (holdoutBucket < 0) {
            holdoutBucket = hasher.bucket(holdoutPrefix);
          }
          if (holdoutRange.contains(holdoutBucket)) {
            continue;
          }
        }
        if (!e.condition().matches(attributes)) {
          continue;
        }
        if (e.layer() >= 0) {
          if (slots[e.layer()] < 0) {
            slots[e.layer()] = hasher.bucket(layerPrefixes[e.layer()]);
          }
          if (!e.layerSlots().contains(slots[e.layer()])) {
            continue;
          }
        }
        Assignment a = e.variantFor(hasher.bucket(e.saltPrefix()));
        if (a != null) {
          out.add(a);
        }
      } catch (RuntimeException ex) {
        // Fail-open per experiment: this one gives defaults, the others still answer.
      }
    }
    return out;
  }

  private static Assignment forced(
      CompiledExperiment e, String unit, Map<String, String> requestOverrides) {
    if (!requestOverrides.isEmpty()) {
      String variant = requestOverrides.get(e.key());
      if (variant != null && e.byVariant().containsKey(variant)) {
        return e.byVariant().get(variant);
      }
    }
    return e.overrides().isEmpty() ? null : e.overrides().get(unit);
  }
}
