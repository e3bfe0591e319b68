package org.abtest.node.aggregation;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.PhaseDefinitions;
import org.abtest.analytics.units.WeightEpoch;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Experiment definitions for unit state: the node's manifest (running experiments) for the current
 * phase, and for every other experiment the newest phase in the durable {@link DefinitionHistory},
 * which every node writes as its manifest shows experiments × phases. So an experiment that was
 * paused or concluded keeps its definition after a restart or a rebalance, and a new owner
 * replaying the log counts its exposures as the live run did (docs/aggregation.md, "Definitions").
 * {@link #phases} gives every phase known (from both), with their starts, so that an exposure
 * counts in the phase in force at its ts ({@code PhaseRule}).
 */
public final class ManifestDefinitions implements PhaseDefinitions {

  private static final Logger log = LoggerFactory.getLogger(ManifestDefinitions.class);
  private static final long RETRY_MILLIS = 1000;

  private final ManifestHolder manifests;
  private final DefinitionHistory history;
  private final int maxDefinitions;
  private final int maxEpochs;
  private final LongSupplier clock;
  private final Map<String, ExperimentDefinition> seen = new ConcurrentHashMap<>();

  /** Every phase known per experiment, ascending (the manifest's, else the stored one). */
  private final Map<String, List<ExperimentDefinition>> phases = new ConcurrentHashMap<>();

  /** What the history holds (or is being written) per experiment × phase. */
  private final Map<String, ExperimentDefinition> stored = new ConcurrentHashMap<>();

  private volatile Set<String> events = Set.of();
  private volatile long version = -1;
  private volatile long retryAt;

  /** Without a durable history (tests of the manifest side only). */
  public ManifestDefinitions(ManifestHolder manifests) {
    this(manifests, DefinitionHistory.NONE, 1, 2, System::currentTimeMillis);
  }

  /**
   * @param maxDefinitions how many stored definitions are loaded at most (experiment phases ever
   *     run in the region; a few per experiment)
   * @param maxEpochs weight epochs kept per phase; past it the oldest are merged (WeightEpoch)
   */
  public ManifestDefinitions(
      ManifestHolder manifests,
      DefinitionHistory history,
      int maxDefinitions,
      int maxEpochs,
      LongSupplier clock) {
    this.manifests = manifests;
    this.history = history;
    this.maxDefinitions = maxDefinitions;
    this.maxEpochs = maxEpochs;
    this.clock = clock;
    // Every manifest the node takes, not only the one current when events are read: an experiment
    // (or a phase) that starts and stops between two reads is still known and stored.
    manifests.onChange(this::refresh);
  }

  @Override
  public ExperimentDefinition apply(String experiment) {
    refresh();
    return seen.get(experiment);
  }

  @Override
  public List<ExperimentDefinition> phases(String experiment) {
    refresh();
    return phases.getOrDefault(experiment, List.of());
  }

  /** Adds or replaces one phase in the experiment's list (under the lock: lists are replaced). */
  private void putPhase(ExperimentDefinition d, boolean replace) {
    TreeMap<Integer, ExperimentDefinition> all = new TreeMap<>();
    phases.getOrDefault(d.key(), List.of()).forEach(p -> all.put(p.phase(), p));
    if (replace || !all.containsKey(d.phase())) {
      all.put(d.phase(), d);
      phases.put(d.key(), List.copyOf(all.values()));
    }
  }

  /**
   * Whether a metric or funnel of some experiment known so far uses this event type: the types
   * whose events unit state keeps as pre-exposure history for CUPED covariates.
   */
  public boolean usesEvent(String eventType) {
    refresh();
    return events.contains(eventType);
  }

  private void refresh() {
    Manifest current = manifests.current();
    boolean retry = retryAt != 0 && clock.getAsLong() >= retryAt;
    if (current != null && (current.version() != version || retry)) {
      synchronized (this) {
        if (current.version() != version || retry) {
          retryAt = 0;
          for (ManifestExperiment e : current.experiments()) {
            ExperimentDefinition d = withEpochs(ExperimentDefinition.of(e), e);
            seen.put(e.key(), d);
            putPhase(d, true);
            store(d);
          }
          version = current.version();
          recomputeEvents();
        }
      }
    }
  }

  /**
   * The phase's weight epochs: those stored, and one more when the manifest's weights differ from
   * the newest (from the stamp of the write that set them; from now when the manifest has none).
   */
  private ExperimentDefinition withEpochs(ExperimentDefinition d, ManifestExperiment e) {
    ExperimentDefinition held = stored.get(d.key() + "#" + d.phase());
    List<WeightEpoch> epochs = held == null ? List.of() : held.epochs();
    Map<String, Integer> weights = new LinkedHashMap<>();
    e.variants().forEach(v -> weights.put(v.key(), v.weight()));
    Instant from =
        e.weightsSince() != null ? e.weightsSince() : Instant.ofEpochMilli(clock.getAsLong());
    return d.withEpochs(WeightEpoch.append(epochs, from, weights, maxEpochs));
  }

  private void store(ExperimentDefinition d) {
    String id = d.key() + "#" + d.phase();
    if (d.equals(stored.put(id, d))) {
      return;
    }
    history
        .save(d)
        .whenComplete(
            (ok, failure) -> {
              if (failure != null) {
                log.warn("definition of {} not stored, trying again: {}", id, failure.toString());
                stored.remove(id, d);
                retryAt = clock.getAsLong() + RETRY_MILLIS;
              }
            });
  }

  private void recomputeEvents() {
    Set<String> types = new HashSet<>();
    for (ExperimentDefinition d : seen.values()) {
      d.metrics().forEach(m -> types.addAll(m.events()));
      types.addAll(d.funnel());
    }
    events = Set.copyOf(types);
  }

  /** Takes the stored definitions: the newest phase of each, unless the manifest has one. */
  synchronized void loaded(List<ExperimentDefinition> definitions) {
    if (definitions.size() >= maxDefinitions) {
      log.warn(
          "{} stored experiment definitions or more: only {} read", maxDefinitions, maxDefinitions);
    }
    for (ExperimentDefinition d : definitions) {
      stored.putIfAbsent(d.key() + "#" + d.phase(), d);
      seen.merge(d.key(), d, (held, read) -> read.phase() > held.phase() ? read : held);
      putPhase(d, false);
    }
    version = -1; // the manifest, read next, wins over what was stored for its experiments
    recomputeEvents();
  }

  /**
   * Completes once the stored definitions are read and the node holds a manifest. Ingestion waits
   * for both: an exposure read before the definitions are known could not be attributed, and replay
   * would then disagree with live.
   */
  public CompletionStage<Void> ready(ActorSystem<?> system) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    load(system, ready);
    return ready;
  }

  private void load(ActorSystem<?> system, CompletableFuture<Void> ready) {
    history
        .loadAll(maxDefinitions)
        .whenComplete(
            (definitions, failure) -> {
              if (failure != null) {
                log.warn("stored definitions not read, trying again: {}", failure.toString());
                system
                    .scheduler()
                    .scheduleOnce(
                        Duration.ofSeconds(1),
                        () -> load(system, ready),
                        system.executionContext());
              } else {
                loaded(definitions);
                poll(system, ready);
              }
            });
  }

  private void poll(ActorSystem<?> system, CompletableFuture<Void> ready) {
    if (manifests.current() != null) {
      // Also between events: a phase that runs while this node reads nothing is stored all the
      // same.
      system
          .scheduler()
          .scheduleWithFixedDelay(
              Duration.ofSeconds(1),
              Duration.ofSeconds(1),
              this::refresh,
              system.executionContext());
      ready.complete(null);
      return;
    }
    system
        .scheduler()
        .scheduleOnce(Duration.ofMillis(100), () -> poll(system, ready), system.executionContext());
  }
}
