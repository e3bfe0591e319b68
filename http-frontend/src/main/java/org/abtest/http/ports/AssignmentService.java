package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.Evaluation;

/**
 * Assigns from the node's in-memory manifest, synchronously: the request path never waits on an
 * actor. Implementations never throw; on any internal problem they answer with no assignments. The
 * one wait is {@link #prepare}, bounded, for a unit's stored sticky variants.
 */
public interface AssignmentService {

  /** A {@link #prepare} that had nothing to wait for (completed, so shared). */
  CompletionStage<Void> READY = CompletableFuture.completedFuture(null);

  /**
   * Completes when the unit can be answered with what it has stored (its first variants of the
   * experiments with sticky bucketing in the environment's manifest), or when waiting longer would
   * delay the answer: at once when nothing is sticky or the unit is cached, within a short bound
   * otherwise. Never fails. Routes call {@link #assign} or {@link #explain} once it completes.
   */
  default CompletionStage<Void> prepare(String environment, String unit) {
    return READY;
  }

  record Result(String unit, long manifestVersion, List<Assignment> assignments) {}

  /** One experiment's answer for a unit with the check that decided it. */
  record Explanation(String experiment, Evaluation evaluation) {}

  /** Explanations from one manifest, in the order asked (bulk: by experiment key). */
  record Explained(long manifestVersion, List<Explanation> explanations) {}

  Result assign(String unit, JsonNode attributes, boolean logExposures);

  /**
   * The bounds a unit id and attributes must keep: each listed assignment becomes an exposure,
   * which must fit the event log as every event does, so they are the events' own limits.
   */
  EventLimits limits();

  /**
   * With request overrides (experiment key → variant key) that win over the manifest; the route
   * passes them only for a QA-capable (admin) credential. Forced assignments are not logged as
   * exposures, so QA traffic never reaches the results.
   */
  default Result assign(
      String unit, JsonNode attributes, boolean logExposures, Map<String, String> overrides) {
    return assign(unit, attributes, logExposures);
  }

  /**
   * As above; with {@code obfuscated} (an obfuscated SDK key) the answer names experiments and
   * variants by their keyed hashes, as that key's manifest does. Exposures are logged with the real
   * keys either way. A service that cannot hash answers no assignments rather than keys in clear.
   */
  default Result assign(
      String unit,
      JsonNode attributes,
      boolean logExposures,
      Map<String, String> overrides,
      boolean obfuscated) {
    return obfuscated
        ? new Result(unit, 0, List.of())
        : assign(unit, attributes, logExposures, overrides);
  }

  /**
   * As above, from the manifest of {@code environment} (the calling SDK key's): only experiments
   * enabled there, at its coverage. A service that knows no environments answers every one alike.
   */
  default Result assign(
      String environment,
      String unit,
      JsonNode attributes,
      boolean logExposures,
      Map<String, String> overrides,
      boolean obfuscated) {
    return assign(unit, attributes, logExposures, overrides, obfuscated);
  }

  /** As {@link #explain(String, JsonNode, List, int)}, from the manifest of {@code environment}. */
  default Explained explain(
      String environment, String unit, JsonNode attributes, List<String> experiments, int max) {
    return explain(unit, attributes, experiments, max);
  }

  /**
   * The unit's answers in the named experiments, or (with {@code experiments} null) in the first
   * {@code max} live ones by key, each as {@link
   * org.abtest.protocol.assignment.CompiledManifest#explain} gives it: the same assignment as
   * {@link #assign}, from the same manifest. Every assignment among them is logged as an exposure
   * as {@link #assign} logs them. Never throws: an internal problem answers a FAILED outcome.
   */
  default Explained explain(String unit, JsonNode attributes, List<String> experiments, int max) {
    return new Explained(0, List.of());
  }
}
