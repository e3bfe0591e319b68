package org.abtest.analytics.units;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.abtest.protocol.experiment.Environments;

/**
 * Experiment definitions with their phase history: {@link #apply} is the current phase's (as
 * before), {@link #phases} every phase known, so that unit state can give an exposure the phase in
 * force at its {@code ts} ({@link PhaseRule}).
 */
public interface PhaseDefinitions extends Function<String, ExperimentDefinition> {

  /**
   * Every phase of the experiment known, ascending by phase number (empty when it is unknown). The
   * default knows the current phase only.
   */
  default List<ExperimentDefinition> phases(String experiment) {
    ExperimentDefinition current = apply(experiment);
    return current == null ? List.of() : List.of(current);
  }

  /** The source as it is when it knows phases, else one that knows the current phase only. */
  static PhaseDefinitions of(Function<String, ExperimentDefinition> definitions) {
    return definitions instanceof PhaseDefinitions p ? p : definitions::apply;
  }

  /**
   * These definitions, also under every environment's results key ({@code
   * Environments.resultsKey}): {@code checkout@staging} is {@code checkout}'s definition keyed so.
   */
  static PhaseDefinitions withEnvironments(PhaseDefinitions definitions) {
    return new PhaseDefinitions() {
      @Override
      public ExperimentDefinition apply(String key) {
        if (Environments.ofDefault(key)) {
          return definitions.apply(key);
        }
        ExperimentDefinition d = definitions.apply(Environments.experimentOf(key));
        return d == null ? null : d.withKey(key);
      }

      @Override
      public List<ExperimentDefinition> phases(String key) {
        if (Environments.ofDefault(key)) {
          return definitions.phases(key);
        }
        List<ExperimentDefinition> all = definitions.phases(Environments.experimentOf(key));
        List<ExperimentDefinition> out = new java.util.ArrayList<>(all.size());
        for (ExperimentDefinition d : all) {
          out.add(d.withKey(key));
        }
        return out;
      }
    };
  }

  /**
   * A fixed set of definitions, each experiment with every phase given (what replay and tests use):
   * the current phase is the highest.
   */
  static PhaseDefinitions fixed(List<ExperimentDefinition> definitions) {
    Map<String, TreeMap<Integer, ExperimentDefinition>> byKey = new HashMap<>();
    for (ExperimentDefinition d : definitions) {
      byKey.computeIfAbsent(d.key(), k -> new TreeMap<>()).put(d.phase(), d);
    }
    Map<String, List<ExperimentDefinition>> lists = new HashMap<>();
    byKey.forEach((k, v) -> lists.put(k, List.copyOf(v.values())));
    return new PhaseDefinitions() {
      @Override
      public ExperimentDefinition apply(String experiment) {
        List<ExperimentDefinition> all = lists.get(experiment);
        return all == null ? null : all.get(all.size() - 1);
      }

      @Override
      public List<ExperimentDefinition> phases(String experiment) {
        return lists.getOrDefault(experiment, List.of());
      }
    };
  }
}
