package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.assignment.Evaluation.Outcome;

/**
 * An {@link AbTest} for a service's own tests: it answers the variants and configs the test sets
 * and records the exposures and metric events the code under test tracks. Targeting is not
 * evaluated: a unit gets what was set for it, or for every unit, whatever its attributes.
 *
 * <pre>{@code
 * FakeAbTest abtest = new FakeAbTest().set("checkout-button", "green", Map.of("color", "green"));
 * new Checkout(abtest).render("user-42");
 * assertThat(abtest.exposures()).containsExactly(
 *     new FakeAbTest.Exposure("user-42", "checkout-button", "green"));
 * }</pre>
 *
 * <p>Safe to use from several threads.
 */
public final class FakeAbTest implements AbTest {

  /** An exposure the code under test logged. */
  public record Exposure(String unit, String experiment, String variant) {}

  /** A metric event the code under test tracked. */
  public record Metric(String unit, String event, double value) {}

  /** What one experiment answers: for every unit (may be null) and per unit. */
  private record Setting(Assignment everyone, Map<String, Assignment> units) {}

  private final Map<String, Setting> experiments = new LinkedHashMap<>();
  private final List<Exposure> exposures = new CopyOnWriteArrayList<>();
  private final List<Metric> metrics = new CopyOnWriteArrayList<>();
  private volatile boolean logExposures = true;
  private volatile boolean closed;

  /** Every unit is in this variant of the experiment, with no config. */
  public FakeAbTest set(String experiment, String variant) {
    return set(experiment, variant, null);
  }

  /** Every unit is in this variant of the experiment, with this config (null for none). */
  public synchronized FakeAbTest set(String experiment, String variant, Map<String, ?> config) {
    Setting old = experiments.get(experiment);
    Map<String, Assignment> units = old == null ? new HashMap<>() : old.units();
    experiments.put(experiment, new Setting(of(experiment, variant, config), units));
    return this;
  }

  /** This unit is in this variant of the experiment; wins over what is set for every unit. */
  public synchronized FakeAbTest setFor(
      String unit, String experiment, String variant, Map<String, ?> config) {
    Setting old = experiments.get(experiment);
    Setting s = old == null ? new Setting(null, new HashMap<>()) : old;
    s.units().put(unit, of(experiment, variant, config));
    experiments.put(experiment, s);
    return this;
  }

  /** Nobody is in the experiment any more. */
  public synchronized FakeAbTest remove(String experiment) {
    experiments.remove(experiment);
    return this;
  }

  /** Off: assignments are not recorded as exposures, only {@link #exposure} calls are. */
  public FakeAbTest logExposures(boolean on) {
    logExposures = on;
    return this;
  }

  /** The exposures logged so far, in order. */
  public List<Exposure> exposures() {
    return List.copyOf(exposures);
  }

  /** The metric events tracked so far, in order. */
  public List<Metric> metrics() {
    return List.copyOf(metrics);
  }

  /** Forgets the recorded exposures and metric events (what is set stays). */
  public void clearEvents() {
    exposures.clear();
    metrics.clear();
  }

  /** Whether {@link #close} was called. */
  public boolean closed() {
    return closed;
  }

  @Override
  public List<Assignment> assign(String unit, Map<String, ?> attributes) {
    return assign(unit, (JsonNode) null);
  }

  @Override
  public List<Assignment> assign(String unit, JsonNode attributes) {
    List<Assignment> answer = new ArrayList<>();
    synchronized (this) {
      for (Setting s : experiments.values()) {
        Assignment a = s.units().getOrDefault(unit, s.everyone());
        if (a != null) {
          answer.add(a);
        }
      }
    }
    answer.forEach(a -> logged(unit, a));
    return List.copyOf(answer);
  }

  @Override
  public Optional<Assignment> assignment(String unit, String experiment, JsonNode attributes) {
    return Optional.ofNullable(evaluation(unit, experiment, attributes).assignment());
  }

  /**
   * What a running experiment would answer: {@link #setFor} a unit is an override, {@link #set} for
   * every unit is the split alone; a unit set for nobody is not targeted; an experiment never set
   * (or {@link #remove removed}, as a killed one leaves the manifest) is not live.
   */
  @Override
  public Evaluation evaluation(String unit, String experiment, JsonNode attributes) {
    Evaluation answer;
    synchronized (this) {
      Setting s = experiments.get(experiment);
      if (s == null) {
        answer = new Evaluation(null, Outcome.NOT_LIVE);
      } else if (s.units().containsKey(unit)) {
        answer = new Evaluation(s.units().get(unit), Outcome.OVERRIDE);
      } else if (s.everyone() != null) {
        answer = new Evaluation(s.everyone(), Outcome.SPLIT);
      } else {
        answer = new Evaluation(null, Outcome.NOT_TARGETED);
      }
    }
    if (answer.assignment() != null) {
      logged(unit, answer.assignment());
    }
    return answer;
  }

  @Override
  public Optional<String> variant(String unit, String experiment, Map<String, ?> attributes) {
    return assignment(unit, experiment, null).map(Assignment::variant);
  }

  @Override
  public boolean inVariant(
      String unit, String experiment, String variant, Map<String, ?> attributes) {
    return variant(unit, experiment, attributes).filter(v -> v.equals(variant)).isPresent();
  }

  @Override
  public void exposure(String unit, Assignment assignment) {
    if (assignment != null) {
      exposures.add(new Exposure(unit, assignment.experiment(), assignment.variant()));
    }
  }

  @Override
  public void track(String unit, String event, double value) {
    metrics.add(new Metric(unit, event, value));
  }

  @Override
  public void close() {
    closed = true;
  }

  private void logged(String unit, Assignment a) {
    if (logExposures) {
      exposure(unit, a);
    }
  }

  private static Assignment of(String experiment, String variant, Map<String, ?> config) {
    if (experiment == null || variant == null) {
      throw new IllegalArgumentException("an experiment and a variant key are required");
    }
    JsonNode c = config == null ? null : Json.mapper().valueToTree(config);
    return new Assignment(experiment, variant, c);
  }
}
