package org.abtest.protocol.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.HashedKeys;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkExperiment;
import org.abtest.protocol.manifest.SdkManifest;
import org.abtest.protocol.targeting.Condition;

/**
 * A manifest compiled once for evaluation (DESIGN.md §3): conditions compiled, variant ranges
 * precomputed, layer salts resolved. Immutable and thread-safe; the server's evaluators and the
 * Java client hold one and call {@link #evaluate} per request, so both give the same answers.
 *
 * <p>Per experiment: a request override (QA credential only) or the experiment's own override for
 * the unit wins; otherwise the unit gets a variant only if it is outside the holdout (for an
 * experiment that respects it), its slot {@code bucket(layerSalt, unit)} is in a layered
 * experiment's slot range, the targeting condition matches, and {@code bucket(salt, unit)} falls in
 * a variant's range rather than outside the coverage.
 *
 * <p>A concluded experiment that ships a variant ({@link Manifest#shipped}) is evaluated the same
 * way after the live ones, and its assignment says {@code shipped}; it is never live, so an
 * exposure of it is refused and its results stay frozen.
 *
 * <p>Fail-open: an experiment that cannot be compiled is left out (it assigns nobody and is listed
 * in {@link #problems()}); an error while evaluating one experiment skips that experiment only.
 */
public final class CompiledManifest {

  /** A manifest with nothing in it: what an evaluator answers before the first manifest. */
  public static final CompiledManifest EMPTY = compile(Manifest.EMPTY);

  private final long version;
  private final Manifest source;
  private final SdkManifest sdkSource;
  private final CompiledExperiment[] experiments;

  /** The live experiments, then the shipped ones: what {@link #evaluate} goes through. */
  private final CompiledExperiment[] evaluated;

  private final Map<String, CompiledExperiment> byKey;
  private final Map<String, CompiledExperiment> shippedByKey;
  private final Condition[] conditions;
  private final SaltedBucketer.Prefix[] layerPrefixes;
  private final SaltedBucketer.Prefix holdoutPrefix;
  private final SlotRange holdoutRange;
  private final List<String> problems;
  private final boolean anySticky;
  private volatile HashedKeys hashedKeys;
  private volatile SdkKeyLookup keyLookup;

  private CompiledManifest(
      Manifest source, SdkManifest sdkSource, Holdout holdout, Compiled compiled) {
    this.version = source != null ? source.version() : sdkSource.version();
    this.source = source;
    this.sdkSource = sdkSource;
    this.experiments = compiled.experiments();
    this.conditions = compiled.conditions();
    this.layerPrefixes = compiled.layerPrefixes();
    this.problems = compiled.problems();
    this.byKey = new HashMap<>();
    boolean sticky = false;
    for (CompiledExperiment e : experiments) {
      byKey.put(e.key(), e);
      sticky |= e.sticky();
    }
    this.anySticky = sticky;
    this.shippedByKey = new HashMap<>();
    for (CompiledExperiment e : compiled.shipped()) {
      shippedByKey.put(e.key(), e);
    }
    this.evaluated = new CompiledExperiment[experiments.length + compiled.shipped().length];
    System.arraycopy(experiments, 0, evaluated, 0, experiments.length);
    System.arraycopy(
        compiled.shipped(), 0, evaluated, experiments.length, compiled.shipped().length);
    this.holdoutPrefix = holdout == null ? null : SaltedBucketer.prefix(holdout.salt());
    this.holdoutRange = holdout == null ? null : holdout.range();
  }

  private record Compiled(
      CompiledExperiment[] experiments,
      CompiledExperiment[] shipped,
      Condition[] conditions,
      SaltedBucketer.Prefix[] layerPrefixes,
      List<String> problems) {}

  /**
   * Compiles every experiment of the manifest. A layer whose salt the manifest lacks is salted with
   * its key, so every evaluator still agrees (the producer of manifests is meant to fill {@code
   * layerSalts}).
   */
  public static CompiledManifest compile(Manifest manifest) {
    return new CompiledManifest(
        manifest,
        null,
        manifest.holdout(),
        compileAll(
            manifest.experiments(),
            manifest.shipped(),
            ManifestExperiment::key,
            e ->
                e.layer() != null && e.layerSlots() != null
                    ? manifest.layerSalts().getOrDefault(e.layer(), e.layer())
                    : null,
            CompiledExperiment::compile));
  }

  /**
   * Compiles the SDK manifest ({@link org.abtest.protocol.manifest.SdkView}) as an SDK receives it:
   * the same answers as the internal manifest it was derived from, with hashed keys when it is
   * obfuscated. Its layers are identified by their salts.
   */
  public static CompiledManifest compile(SdkManifest manifest) {
    return new CompiledManifest(
        null,
        manifest,
        manifest.holdout(),
        compileAll(
            manifest.experiments(),
            manifest.shipped(),
            SdkExperiment::key,
            e -> e.layerSalt() != null && e.layerSlots() != null ? e.layerSalt() : null,
            CompiledExperiment::compile));
  }

  private interface Compiler<E> {
    CompiledExperiment compile(E experiment, int layer, ConditionTable conditions, boolean shipped);
  }

  private static <E> Compiled compileAll(
      List<E> live,
      List<E> shipped,
      Function<E, String> keyOf,
      Function<E, String> layerSaltOf,
      Compiler<E> compiler) {
    List<CompiledExperiment> compiled = new ArrayList<>();
    List<CompiledExperiment> compiledShipped = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<String, Integer> layerIndex = new HashMap<>();
    List<SaltedBucketer.Prefix> layerPrefixes = new ArrayList<>();
    ConditionTable conditions = new ConditionTable();
    List<E> source = new ArrayList<>(live.size() + shipped.size());
    source.addAll(live);
    source.addAll(shipped);
    Set<String> liveKeys = new HashSet<>();
    live.forEach(e -> liveKeys.add(keyOf.apply(e)));
    Set<String> shippedKeys = new HashSet<>();
    for (int i = 0; i < source.size(); i++) {
      E e = source.get(i);
      boolean ships = i >= live.size();
      if (ships) {
        // a key is live or shipped, never both (the live entry wins), and shipped once
        String key = keyOf.apply(e);
        String wrong =
            liveKeys.contains(key)
                ? "also a live experiment"
                : !shippedKeys.add(key) ? "listed twice" : null;
        if (wrong != null) {
          problems.add(key + ": shipped: " + wrong);
          continue;
        }
      }
      try {
        int layer = -1;
        String layerSalt = layerSaltOf.apply(e);
        if (layerSalt != null) {
          layer =
              layerIndex.computeIfAbsent(
                  layerSalt,
                  salt -> {
                    layerPrefixes.add(SaltedBucketer.prefix(salt));
                    return layerPrefixes.size() - 1;
                  });
        }
        (ships ? compiledShipped : compiled).add(compiler.compile(e, layer, conditions, ships));
      } catch (RuntimeException ex) {
        problems.add(keyOf.apply(e) + ": " + (ships ? "shipped: " : "") + ex.getMessage());
      }
    }
    return new Compiled(
        compiled.toArray(CompiledExperiment[]::new),
        compiledShipped.toArray(CompiledExperiment[]::new),
        conditions.toArray(),
        layerPrefixes.toArray(SaltedBucketer.Prefix[]::new),
        List.copyOf(problems));
  }

  public long version() {
    return version;
  }

  /** The internal manifest this was compiled from; null when compiled from an SDK manifest. */
  public Manifest manifest() {
    return source;
  }

  /** Whether this is an obfuscated SDK manifest: its experiment and variant keys are hashes. */
  public boolean obfuscated() {
    return sdkSource != null && sdkSource.obfuscated();
  }

  /**
   * The server's table between this internal manifest's keys and their hashes, for obfuscated SDK
   * keys; built on first use (most nodes' manifests never meet such a key).
   */
  public HashedKeys hashedKeys() {
    HashedKeys keys = hashedKeys;
    if (keys == null) {
      keys = HashedKeys.of(source != null ? source : Manifest.EMPTY);
      hashedKeys = keys;
    }
    return keys;
  }

  /**
   * The key under which this manifest lists an experiment the caller names by its real key: the key
   * itself, or its hash in an obfuscated SDK manifest (null when no experiment matches).
   */
  public String keyOf(String experiment) {
    return obfuscated() ? lookup().experiment(experiment) : experiment;
  }

  /** As {@link #keyOf}, for one of that experiment's variants. */
  public String variantKeyOf(String experiment, String variant) {
    return obfuscated() ? lookup().variant(experiment, variant) : variant;
  }

  private SdkKeyLookup lookup() {
    SdkKeyLookup l = keyLookup;
    if (l == null) {
      l = new SdkKeyLookup(sdkSource);
      keyLookup = l;
    }
    return l;
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
    return evaluate(unit, attributes, requestOverrides, null);
  }

  /**
   * As {@link #evaluate(String, JsonNode, Map)}, with the unit's stored first variants for the
   * experiments with sticky bucketing ({@link StickyBuckets}: the rule is there); null or {@link
   * StickyBuckets#NONE} for plain hashing.
   */
  public List<Assignment> evaluate(
      String unit,
      JsonNode attributes,
      Map<String, String> requestOverrides,
      StickyBuckets stored) {
    if (unit == null || evaluated.length == 0) {
      return List.of();
    }
    SaltedBucketer hasher = new SaltedBucketer(unit);
    int[] slots = new int[layerPrefixes.length];
    Arrays.fill(slots, -1);
    byte[] tested = new byte[conditions.length];
    int holdoutBucket = -1;
    boolean anyRequestOverride = !requestOverrides.isEmpty();
    List<Assignment> out = new ArrayList<>(Math.min(evaluated.length, 16));
    // The checks are all required, so their order changes no answer; cheap and selective first:
    // the holdout and layer slots are one hash per request each, the condition is tested once per
    // request (see ConditionTable), the variant bucket is one hash per experiment.
    for (CompiledExperiment e : evaluated) {
      try {
        Assignment forced = forced(e, unit, anyRequestOverride ? requestOverrides : null);
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
        if (e.layer() >= 0) {
          if (slots[e.layer()] < 0) {
            slots[e.layer()] = hasher.bucket(layerPrefixes[e.layer()]);
          }
          if (!e.layerSlots().contains(slots[e.layer()])) {
            continue;
          }
        }
        if (!targeted(e.conditionSlot(), attributes, tested)) {
          continue;
        }
        Assignment a = e.variantFor(hasher.bucket(e.saltPrefix()));
        if (a != null) {
          out.add(e.stickyOr(a, unit, stored));
        }
      } catch (RuntimeException ex) {
        // Fail-open per experiment: this one gives defaults, the others still answer.
      }
    }
    return out;
  }

  /** The keys of the experiments live in this manifest. */
  public Set<String> liveKeys() {
    return Collections.unmodifiableSet(byKey.keySet());
  }

  /** The keys of the concluded experiments this manifest ships a variant of. */
  public Set<String> shippedKeys() {
    return Collections.unmodifiableSet(shippedByKey.keySet());
  }

  /**
   * Whether the experiment is live in this manifest (paused, concluded, shipped and unknown are
   * not).
   */
  public boolean isLive(String experiment) {
    return byKey.containsKey(experiment);
  }

  /**
   * The unit's assignment in one experiment, as {@link #evaluate} gives it, or null when the unit
   * is in none of its variants (or the experiment is not live). This is what an exposure is checked
   * against, so request overrides (QA traffic, never logged) play no part. With {@code attributes}
   * null the targeting condition is not tested: an exposure that does not say who the unit is
   * cannot be judged on it, and the bucket, layer, holdout and overrides already fix the variant.
   */
  public Assignment variantOf(String experiment, String unit, JsonNode attributes) {
    return variantOf(experiment, unit, attributes, null);
  }

  /** As {@link #variantOf(String, String, JsonNode)}, with the unit's stored first variants. */
  public Assignment variantOf(
      String experiment, String unit, JsonNode attributes, StickyBuckets stored) {
    return explain(experiment, unit, attributes, attributes != null, false, stored).assignment();
  }

  /** Whether the live experiment keeps units' first variants (its {@code stickyBucketing}). */
  public boolean isSticky(String experiment) {
    CompiledExperiment e = byKey.get(experiment);
    return e != null && e.sticky();
  }

  /** Whether any live experiment has sticky bucketing: if none, stored variants play no part. */
  public boolean anySticky() {
    return anySticky;
  }

  /**
   * The unit's assignment in one experiment, exactly as {@link #evaluate} gives it (targeting
   * tested against {@code attributes}, null meaning none), with the check that decided it; no
   * request overrides. {@code experiment} is the manifest's own key ({@link #keyOf}); a shipped
   * experiment answers its shipped variant.
   */
  public Evaluation explain(String experiment, String unit, JsonNode attributes) {
    return explain(experiment, unit, attributes, null);
  }

  /**
   * As {@link #explain(String, String, JsonNode)}, with the unit's stored first variants: a stored
   * variant other than the bucket's says {@link Outcome#STICKY}.
   */
  public Evaluation explain(
      String experiment, String unit, JsonNode attributes, StickyBuckets stored) {
    return explain(experiment, unit, attributes, true, true, stored);
  }

  private Evaluation explain(
      String experiment,
      String unit,
      JsonNode attributes,
      boolean testTargeting,
      boolean shippedToo,
      StickyBuckets stored) {
    CompiledExperiment e = byKey.get(experiment);
    if (e == null && shippedToo) {
      e = shippedByKey.get(experiment);
    }
    if (e == null) {
      return Evaluation.out(invalid(experiment) ? Outcome.INVALID : Outcome.NOT_LIVE);
    }
    if (unit == null) {
      return Evaluation.out(Outcome.FAILED);
    }
    try {
      Assignment forced = forced(e, unit, null);
      if (forced != null) {
        return new Evaluation(forced, Outcome.OVERRIDE);
      }
      SaltedBucketer hasher = new SaltedBucketer(unit);
      if (e.respectsHoldout()
          && holdoutRange != null
          && holdoutRange.contains(hasher.bucket(holdoutPrefix))) {
        return Evaluation.out(Outcome.HOLDOUT);
      }
      if (e.layer() >= 0 && !e.layerSlots().contains(hasher.bucket(layerPrefixes[e.layer()]))) {
        return Evaluation.out(Outcome.LAYER);
      }
      boolean targeted = e.conditionSlot() != ConditionTable.EVERYONE;
      if (targeted && testTargeting && !conditions[e.conditionSlot()].matches(attributes)) {
        return Evaluation.out(Outcome.NOT_TARGETED);
      }
      Assignment hashed = e.variantFor(hasher.bucket(e.saltPrefix()));
      if (hashed == null) {
        return Evaluation.out(Outcome.COVERAGE);
      }
      Assignment a = e.stickyOr(hashed, unit, stored);
      if (a != hashed) {
        return new Evaluation(a, Outcome.STICKY);
      }
      return new Evaluation(
          a, targeted ? Outcome.TARGETED : e.shipped() ? Outcome.SHIPPED : Outcome.SPLIT);
    } catch (RuntimeException ex) {
      // as evaluate: an experiment that fails for this unit assigns it nothing
      return Evaluation.out(Outcome.FAILED);
    }
  }

  /**
   * Whether the manifest lists this experiment but it could not be compiled ({@link #problems}).
   */
  private boolean invalid(String experiment) {
    for (String problem : problems) {
      if (problem.startsWith(experiment + ": ")) {
        return true;
      }
    }
    return false;
  }

  private static final byte MATCHED = 1;
  private static final byte NOT_MATCHED = 2;

  /** The condition in this slot, tested at most once per evaluation ({@code tested} remembers). */
  private boolean targeted(int slot, JsonNode attributes, byte[] tested) {
    if (slot == ConditionTable.EVERYONE) {
      return true;
    }
    if (tested[slot] == 0) {
      tested[slot] = conditions[slot].matches(attributes) ? MATCHED : NOT_MATCHED;
    }
    return tested[slot] == MATCHED;
  }

  private static Assignment forced(
      CompiledExperiment e, String unit, Map<String, String> requestOverrides) {
    if (requestOverrides != null) {
      String variant = requestOverrides.get(e.key());
      if (variant != null && e.byVariant().containsKey(variant)) {
        return e.byVariant().get(variant);
      }
    }
    return e.overrideFor(unit);
  }
}
