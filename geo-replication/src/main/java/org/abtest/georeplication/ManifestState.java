package org.abtest.georeplication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.abtest.protocol.assignment.Buildable;
import org.abtest.protocol.experiment.EnvironmentSetting;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Phase;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * The region's view of every experiment and layer, folded with the entities' own event functions,
 * and the manifest made of it. States arrive twice: from the entities right after they persist (the
 * fast path) and from the journal's tag stream; a state that already covers an event's sequence
 * number skips it, so each event counts once.
 *
 * <p>The version is the sum of every entity's event count. Each term only grows, so versions only
 * grow, and a rebuild from the journal reaches exactly the same numbers.
 */
public final class ManifestState {

  private final Map<String, ExperimentState> experiments = new TreeMap<>();
  private final Map<String, LayerState> layers = new TreeMap<>();

  /** Each live experiment's buildability, checked once per version of it (it compiles it). */
  private final Map<String, Checked> checked = new HashMap<>();

  private record Checked(long appliedEvents, Optional<String> problem) {}

  /** Folds one journal event of {@code persistenceId} ("Experiment|key|region" or "Layer|key"). */
  public void applyJournalEvent(String persistenceId, long sequenceNr, Object event) {
    String key = persistenceId.split("\\|", -1)[1];
    if (event instanceof ExperimentEntity.Event e) {
      ExperimentState state = experiments.getOrDefault(key, ExperimentState.EMPTY);
      if (sequenceNr > state.appliedEvents()) {
        experiments.put(key, ExperimentEntity.apply(state, e));
      }
    } else if (event instanceof LayerEntity.Event e) {
      LayerState state = layers.getOrDefault(key, LayerState.empty(key));
      if (sequenceNr > state.appliedEvents()) {
        layers.put(key, LayerEntity.apply(state, e));
      }
    }
  }

  /** Takes an entity's state unless an equal or newer one is held; true when taken. */
  public boolean offerExperiment(String key, ExperimentState state) {
    ExperimentState held = experiments.get(key);
    if (held != null && held.appliedEvents() >= state.appliedEvents()) {
      return false;
    }
    experiments.put(key, state);
    return true;
  }

  public boolean offerLayer(String key, LayerState state) {
    LayerState held = layers.get(key);
    if (held != null && held.appliedEvents() >= state.appliedEvents()) {
      return false;
    }
    layers.put(key, state);
    return true;
  }

  public long version() {
    long version = 0;
    for (ExperimentState s : experiments.values()) {
      version += s.appliedEvents();
    }
    for (LayerState s : layers.values()) {
      version += s.appliedEvents();
    }
    return version;
  }

  /** Every experiment the region knows, in key order. */
  public List<Experiment> experiments() {
    List<Experiment> all = new ArrayList<>();
    for (ExperimentState s : experiments.values()) {
      if (s.exists()) {
        all.add(s.experiment());
      }
    }
    return all;
  }

  /** Every experiment's replicated state, with the stamps of its writes. */
  public Collection<ExperimentState> states() {
    return List.copyOf(experiments.values());
  }

  /** Whether any event of this experiment key has been seen (even one that created nothing). */
  public boolean knows(String key) {
    return experiments.containsKey(key);
  }

  /** Every layer the region knows. */
  public Collection<LayerState> layers() {
    return List.copyOf(layers.values());
  }

  /**
   * Only running experiments travel to evaluators, and concluded ones that ship a variant (in
   * {@link Manifest#shipped}); every other status assigns nobody anyway. A running experiment that
   * cannot be built ({@link Buildable}) is left out and listed as degraded, so it cannot keep every
   * other experiment's change, a kill included, from being published.
   */
  public Manifest toManifest() {
    var live = new ArrayList<ManifestExperiment>();
    Map<String, String> degraded = new TreeMap<>();
    var shipped = new ArrayList<ManifestExperiment>();
    for (var entry : experiments.entrySet()) {
      ExperimentState s = entry.getValue();
      if (s.exists() && s.experiment().shippedVariant().isPresent()) {
        ship(entry.getKey(), s, shipped, degraded);
        continue;
      }
      if (!s.exists() || !s.experiment().status().assigns()) {
        checked.remove(entry.getKey());
        continue;
      }
      Optional<String> problem;
      ManifestExperiment e;
      try {
        e =
            ManifestExperiment.of(s.experiment())
                .withWeightsSince(weightsSince(s))
                .withPhaseStartedAt(phaseStartedAt(s));
        problem = check(entry.getKey(), s.appliedEvents(), e);
      } catch (RuntimeException ex) {
        e = null;
        problem = Optional.of("cannot be built: " + ex.getMessage());
      }
      if (problem.isPresent()) {
        degraded.put(entry.getKey(), problem.get());
      } else {
        live.add(e);
      }
    }
    Map<String, String> salts = new TreeMap<>();
    for (LayerState layer : layers.values()) {
      if (layer.exists()) {
        salts.put(layer.key(), layer.salt());
      }
    }
    Map<String, Map<String, EnvironmentSetting>> environments = new TreeMap<>();
    for (ManifestExperiment e : live) {
      putEnvironments(e.key(), environments);
    }
    for (ManifestExperiment e : shipped) {
      putEnvironments(e.key(), environments);
    }
    return new Manifest(version(), live, salts, holdout(), degraded, shipped, environments);
  }

  private void putEnvironments(String key, Map<String, Map<String, EnvironmentSetting>> out) {
    Map<String, EnvironmentSetting> settings = experiments.get(key).experiment().environments();
    if (settings != null) {
      out.put(key, settings);
    }
  }

  /** A concluded experiment's shipped variant, for everyone it targets (or degraded, as above). */
  private void ship(
      String key,
      ExperimentState s,
      List<ManifestExperiment> shipped,
      Map<String, String> degraded) {
    Optional<String> problem;
    ManifestExperiment e = null;
    try {
      e = ManifestExperiment.shipping(s.experiment());
      problem = check(key, s.appliedEvents(), e);
    } catch (RuntimeException ex) {
      problem = Optional.of("cannot be built: " + ex.getMessage());
    }
    if (problem.isPresent()) {
      degraded.put(key, problem.get());
    } else {
      shipped.add(e);
    }
  }

  /** The stamp of the write that set the weights (a sticky change starts a weight epoch). */
  private static Instant weightsSince(ExperimentState s) {
    Stamp stamp = s.fieldStamps().get("variants");
    return stamp == null ? null : Instant.ofEpochMilli(stamp.millis());
  }

  /** When the current phase started (phase 1: at creation), the same in every region. */
  private static Instant phaseStartedAt(ExperimentState s) {
    Phase phase = s.phases().get(s.experiment().phase());
    return phase == null ? null : phase.startedAt();
  }

  private Optional<String> check(String key, long appliedEvents, ManifestExperiment e) {
    Checked known = checked.get(key);
    if (known == null || known.appliedEvents() != appliedEvents) {
      known = new Checked(appliedEvents, Buildable.problem(e));
      checked.put(key, known);
    }
    return known.problem();
  }

  private Holdout holdout() {
    LayerState global = layers.get(LayerEntity.GLOBAL);
    if (global == null || !global.exists()) {
      return null;
    }
    SlotRange range = global.allocations().get(LayerState.HOLDOUT_OWNER);
    return range == null || range.width() == 0 ? null : new Holdout(global.salt(), range);
  }
}
