package org.abtest.node.adapters;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Experiment definitions for unit state, from the node's manifest. The manifest holds running
 * experiments only; the last definition seen of every experiment is kept, so that an experiment
 * that was paused or concluded still has its metrics while its last events drain. (A partition also
 * keeps, in its snapshot, the definition each experiment phase started with.)
 */
public final class ManifestDefinitions implements Function<String, ExperimentDefinition> {

  private final ManifestHolder manifests;
  private final Map<String, ExperimentDefinition> seen = new ConcurrentHashMap<>();
  private volatile Set<String> events = Set.of();
  private volatile long version = -1;

  public ManifestDefinitions(ManifestHolder manifests) {
    this.manifests = manifests;
  }

  @Override
  public ExperimentDefinition apply(String experiment) {
    refresh();
    return seen.get(experiment);
  }

  /**
   * Whether a metric or funnel of some experiment seen so far uses this event type: the types whose
   * events unit state keeps as pre-exposure history for CUPED covariates.
   */
  public boolean usesEvent(String eventType) {
    refresh();
    return events.contains(eventType);
  }

  private void refresh() {
    Manifest current = manifests.current();
    if (current != null && current.version() != version) {
      synchronized (this) {
        if (current.version() != version) {
          for (ManifestExperiment e : current.experiments()) {
            seen.put(e.key(), ExperimentDefinition.of(e));
          }
          Set<String> types = new HashSet<>();
          for (ExperimentDefinition d : seen.values()) {
            d.metrics().stream().map(m -> m.event()).filter(t -> t != null).forEach(types::add);
            types.addAll(d.funnel());
          }
          events = Set.copyOf(types);
          version = current.version();
        }
      }
    }
  }

  /**
   * Completes once the node holds a manifest. Ingestion waits for it: an exposure read before the
   * definitions are known could not be attributed, and replay would then disagree with live.
   */
  public CompletionStage<Void> ready(ActorSystem<?> system) {
    CompletableFuture<Void> ready = new CompletableFuture<>();
    poll(system, ready);
    return ready;
  }

  private void poll(ActorSystem<?> system, CompletableFuture<Void> ready) {
    if (manifests.current() != null) {
      ready.complete(null);
      return;
    }
    system
        .scheduler()
        .scheduleOnce(Duration.ofMillis(100), () -> poll(system, ready), system.executionContext());
  }
}
