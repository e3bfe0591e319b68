package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.Evaluation;

/**
 * What a service asks of abtest: a unit's assignments, variants, configs and flags, and the events
 * it tracks. {@link AbTestClient} is the real one (local evaluation against the server's manifest);
 * {@link FakeAbTest} answers what a test sets and records what the code under test tracks.
 *
 * <p>No method throws into the caller: a unit that cannot be evaluated (no manifest yet, an error)
 * has no assignments, so the caller's defaults apply.
 */
public interface AbTest extends AutoCloseable {

  /** Every experiment the unit is in; each is logged as an exposure when exposure logging is on. */
  List<Assignment> assign(String unit, Map<String, ?> attributes);

  /** As {@link #assign(String, Map)}, with attributes as a JSON object. */
  List<Assignment> assign(String unit, JsonNode attributes);

  /** The unit's assignment in one experiment (exposure logged for that one only), if any. */
  Optional<Assignment> assignment(String unit, String experiment, JsonNode attributes);

  /**
   * The unit's assignment in one experiment with the check that decided it (in by an override, by
   * targeting or by the split alone; out by the holdout, its layer, targeting or coverage; or the
   * experiment not live), exposure logged as {@link #assignment} does. What the OpenFeature
   * provider answers its reasons from.
   */
  Evaluation evaluation(String unit, String experiment, JsonNode attributes);

  /**
   * Whether it can answer yet: {@link AbTestClient} is not ready before its first manifest (every
   * experiment is then not live).
   */
  default boolean ready() {
    return true;
  }

  /** The unit's variant key in the experiment, if it is in it. */
  Optional<String> variant(String unit, String experiment, Map<String, ?> attributes);

  /** Whether the unit is in this variant of the experiment, both named by their real keys. */
  boolean inVariant(String unit, String experiment, String variant, Map<String, ?> attributes);

  /** The config of the unit's variant in the experiment, if it is in it and the variant has one. */
  default Optional<JsonNode> config(String unit, String experiment, Map<String, ?> attributes) {
    try {
      return assignment(unit, experiment, attributes(attributes)).map(Assignment::config);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the flag is on for the unit: it is assigned a variant whose config has no {@code
   * value}, or {@code "value": true}; as the OpenFeature provider's boolean evaluation.
   */
  default boolean isEnabled(String unit, String flag, Map<String, ?> attributes) {
    try {
      Optional<Assignment> a = assignment(unit, flag, attributes(attributes));
      if (a.isEmpty()) {
        return false;
      }
      JsonNode value = a.get().config() == null ? null : a.get().config().get("value");
      return value == null || (value.isBoolean() && value.asBoolean());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Logs an exposure for an assignment that was answered with exposure logging off, when the unit
   * is really shown the variant. The assignment is one that {@link #assignment} answered (its
   * experiment named by its real key).
   */
  void exposure(String unit, Assignment assignment);

  /** Queues a metric event (API.md, Events); never blocks. */
  void track(String unit, String event, double value);

  /** Sends what is still queued, then stops. */
  @Override
  void close();

  private static JsonNode attributes(Map<String, ?> attributes) {
    return attributes == null ? null : Json.mapper().valueToTree(attributes);
  }
}
