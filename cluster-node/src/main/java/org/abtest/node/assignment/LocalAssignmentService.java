package org.abtest.node.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.abtest.http.ports.AssignmentService;
import org.abtest.http.ports.EventLimits;
import org.abtest.node.sticky.StickyStore;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.assignment.StickyBuckets;
import org.abtest.protocol.experiment.Environments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns from the node's compiled manifest snapshot. Fails open: no manifest yet, or any error,
 * gives no assignments (everyone gets defaults), never an exception. A unit's stored first variants
 * (sticky bucketing) are used when {@link #prepare} has them in memory; otherwise the hash answers.
 */
public final class LocalAssignmentService implements AssignmentService {

  private static final Logger log = LoggerFactory.getLogger(LocalAssignmentService.class);

  private final ManifestHolder manifests;
  private final ExposureLog exposures;
  private final EventLimits limits;
  private final Clock clock;
  private final Histogram latency;
  private final StickyStore sticky;

  public LocalAssignmentService(
      ManifestHolder manifests,
      ExposureLog exposures,
      EventLimits limits,
      Clock clock,
      PrometheusRegistry registry) {
    this(manifests, exposures, limits, clock, registry, StickyStore.NONE);
  }

  /** {@code sticky}: units' stored first variants, for the experiments with sticky bucketing. */
  public LocalAssignmentService(
      ManifestHolder manifests,
      ExposureLog exposures,
      EventLimits limits,
      Clock clock,
      PrometheusRegistry registry,
      StickyStore sticky) {
    this.sticky = sticky;
    this.manifests = manifests;
    this.exposures = exposures;
    this.limits = limits;
    this.clock = clock;
    this.latency =
        Histogram.builder()
            .name("abtest_assignment_evaluation_seconds")
            .help("Time to evaluate one unit against the whole manifest, without HTTP")
            .classicUpperBounds(1e-6, 5e-6, 2e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 5e-3)
            .register(registry);
  }

  @Override
  public EventLimits limits() {
    return limits;
  }

  /** Reads the unit's stored variants only when the environment's manifest has sticky ones. */
  @Override
  public CompletionStage<Void> prepare(String environment, String unit) {
    return manifests.compiled(environment).anySticky() ? sticky.load(unit) : READY;
  }

  /** The unit's stored variants when they matter and are in memory; null for plain hashing. */
  private StickyBuckets stored(CompiledManifest manifest, String unit) {
    return manifest.anySticky() && unit != null ? sticky.bucketsOf(unit) : null;
  }

  @Override
  public Result assign(String unit, JsonNode attributes, boolean logExposures) {
    return assign(unit, attributes, logExposures, Map.of());
  }

  @Override
  public Result assign(
      String unit, JsonNode attributes, boolean logExposures, Map<String, String> overrides) {
    return assign(unit, attributes, logExposures, overrides, false);
  }

  @Override
  public Result assign(
      String unit,
      JsonNode attributes,
      boolean logExposures,
      Map<String, String> overrides,
      boolean obfuscated) {
    return assign(Environments.DEFAULT, unit, attributes, logExposures, overrides, obfuscated);
  }

  /**
   * From the environment's manifest; hashing the keys uses the same manifest the unit was evaluated
   * against, and exposures are logged in that environment.
   */
  @Override
  public Result assign(
      String environment,
      String unit,
      JsonNode attributes,
      boolean logExposures,
      Map<String, String> overrides,
      boolean obfuscated) {
    CompiledManifest manifest = manifests.compiled(environment);
    long start = System.nanoTime();
    try {
      List<Assignment> assignments =
          manifest.evaluate(unit, attributes, overrides, stored(manifest, unit));
      latency.observe((System.nanoTime() - start) / 1e9);
      if (logExposures && !assignments.isEmpty()) {
        List<Assignment> logged =
            overrides.isEmpty()
                ? assignments
                : assignments.stream().filter(a -> !overrides.containsKey(a.experiment())).toList();
        exposures.log(environment, unit, logged, clock.instant());
      }
      return new Result(
          unit,
          manifest.version(),
          obfuscated ? manifest.hashedKeys().hide(assignments) : assignments);
    } catch (RuntimeException e) {
      log.error("assignment failed open for manifest {}", manifest.version(), e);
      return new Result(unit, manifest.version(), List.of());
    }
  }

  @Override
  public Explained explain(String unit, JsonNode attributes, List<String> experiments, int max) {
    return explain(Environments.DEFAULT, unit, attributes, experiments, max);
  }

  /** One manifest for every experiment asked, exposures logged as {@link #assign} logs them. */
  @Override
  public Explained explain(
      String environment, String unit, JsonNode attributes, List<String> experiments, int max) {
    CompiledManifest manifest = manifests.compiled(environment);
    List<String> keys =
        experiments != null
            ? experiments
            : Stream.concat(
                    manifest.liveKeys().stream().sorted(), manifest.shippedKeys().stream().sorted())
                .limit(Math.max(0, max))
                .toList();
    List<Explanation> out = new ArrayList<>(keys.size());
    List<Assignment> exposed = new ArrayList<>();
    StickyBuckets stored = stored(manifest, unit);
    for (String key : keys) {
      Evaluation e;
      try {
        e = manifest.explain(key, unit, attributes, stored);
      } catch (RuntimeException ex) {
        log.error("explaining {} failed open for manifest {}", key, manifest.version(), ex);
        e = new Evaluation(null, Evaluation.Outcome.FAILED);
      }
      out.add(new Explanation(key, e));
      if (e.assignment() != null) {
        exposed.add(e.assignment());
      }
    }
    if (!exposed.isEmpty()) {
      exposures.log(environment, unit, exposed, clock.instant());
    }
    return new Explained(manifest.version(), out);
  }
}
