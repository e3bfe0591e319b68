package org.abtest.protocol.experiment;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The running experiments a new one would share units and metric events with: the pairs whose
 * effects can interact (DESIGN.md asks to flag such conflicts when an experiment is created). A
 * warning, never a refusal: overlapping experiments in different layers are how teams run many at
 * once.
 *
 * <p>Two experiments overlap when all of these hold:
 *
 * <ul>
 *   <li>the other is RUNNING;
 *   <li>their units can be the same: not the same layer (a layer's slots are disjoint by
 *       construction), and some environment enables both;
 *   <li>their targeting can match the same unit: either has none, or both have the same condition
 *       (two different conditions are not compared: they may well be disjoint, such as two
 *       countries);
 *   <li>some metric of each counts the same event type.
 * </ul>
 */
public final class Overlaps {

  /** One running experiment the candidate overlaps, with the event types they share, sorted. */
  public record Overlap(String experiment, List<String> events) {}

  private Overlaps() {}

  /** The overlaps of {@code candidate} with {@code others}, in the order given. */
  public static List<Overlap> of(Experiment candidate, Collection<Experiment> others) {
    Set<String> events = events(candidate);
    List<Overlap> out = new ArrayList<>();
    for (Experiment other : others) {
      if (other.key().equals(candidate.key())
          || other.status() != ExperimentStatus.RUNNING
          || sameLayer(candidate, other)
          || !environmentsMeet(candidate.environments(), other.environments())
          || !targetingMeets(candidate, other)) {
        continue;
      }
      Set<String> shared = new TreeSet<>(events);
      shared.retainAll(events(other));
      if (!shared.isEmpty()) {
        out.add(new Overlap(other.key(), List.copyOf(shared)));
      }
    }
    return out;
  }

  private static Set<String> events(Experiment e) {
    Set<String> out = new HashSet<>();
    for (MetricDefinition m : e.metrics()) {
      out.addAll(m.events());
    }
    return out;
  }

  private static boolean sameLayer(Experiment a, Experiment b) {
    return a.layer() != null && a.layer().equals(b.layer());
  }

  private static boolean targetingMeets(Experiment a, Experiment b) {
    return a.targeting() == null || b.targeting() == null || a.targeting().equals(b.targeting());
  }

  /** Whether some environment enables both (settings null: every environment). */
  static boolean environmentsMeet(
      Map<String, EnvironmentSetting> a, Map<String, EnvironmentSetting> b) {
    if (a == null && b == null) {
      return true;
    }
    if (a == null || b == null) {
      Map<String, EnvironmentSetting> named = a == null ? b : a;
      return named.values().stream().anyMatch(EnvironmentSetting::enabled);
    }
    for (String environment : a.keySet()) {
      if (Environments.enabled(a, environment) && Environments.enabled(b, environment)) {
        return true;
      }
    }
    return false;
  }
}
