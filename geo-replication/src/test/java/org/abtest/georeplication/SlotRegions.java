package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Lifecycle;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;

/**
 * Two regions in one test ActorSystem on the in-memory journal, wired as {@link GeoReplication}
 * wires a node: per region a manifest publisher (with the real {@link SlotReleaser}) and experiment
 * replicas, and the layers in the home region. A region can be stopped and started again.
 */
final class SlotRegions {

  static final String HOME = "region-a";
  static final String OTHER = "region-b";
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  private static final Set<String> ALL = Set.of(HOME, OTHER);
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Author ADMIN = new Author("tok", "admin");

  static Config config() {
    return ConfigFactory.parseString("pekko.actor.serialize-messages = on")
        .withFallback(EventSourcedBehaviorTestKit.config());
  }

  /** A clock the test moves (schedules), or lets run with real time (backoff). */
  static final class TestClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private volatile long runningSinceNanos = -1;

    void set(Instant instant) {
      now.set(instant);
    }

    /** From now on, time passes as it really does. */
    void run() {
      runningSinceNanos = System.nanoTime();
    }

    @Override
    public Instant instant() {
      long since = runningSinceNanos;
      return since < 0 ? now.get() : now.get().plusNanos(System.nanoTime() - since);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  final TestClock clock = new TestClock();
  private final ActorTestKit kit;
  private final Map<String, ActorRef<ManifestPublisher.Command>> publishers =
      new ConcurrentHashMap<>();
  private final Map<String, ActorRef<ExperimentEntity.Command>> replicas =
      new ConcurrentHashMap<>();
  private final Map<String, ActorRef<LayerEntity.Command>> layers = new ConcurrentHashMap<>();
  private final Map<String, Manifest> stored = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> releasesSent = new ConcurrentHashMap<>();
  private final AtomicInteger dropReleases = new AtomicInteger();

  SlotRegions(ActorTestKit kit) {
    this.kit = kit;
    ALL.forEach(this::startRegion);
  }

  void startRegion(String region) {
    releasesSent.putIfAbsent(region, new AtomicInteger());
    var settings =
        new ManifestPublisher.Settings(
            region,
            HOME,
            Duration.ofMillis(10),
            Duration.ofMillis(50),
            new SlotReleases.Retry(Duration.ofMillis(200), Duration.ofSeconds(1)),
            PersistenceTestKitReadJournal.Identifier());
    publishers.put(
        region, kit.spawn(ManifestPublisher.create(settings, store(), runner(region), clock)));
  }

  /** The region's nodes are gone: its publisher, experiment replicas and (home) layers. */
  void stopRegion(String region) {
    kit.stop(publishers.remove(region));
    for (var key : List.copyOf(replicas.keySet())) {
      if (key.startsWith(region + "/")) {
        kit.stop(replicas.remove(key));
      }
    }
    if (region.equals(HOME)) {
      List.copyOf(layers.keySet()).forEach(k -> kit.stop(layers.remove(k)));
    }
  }

  void stopAll() {
    List.copyOf(publishers.keySet()).forEach(this::stopRegion);
  }

  private ManifestStore store() {
    return new ManifestStore() {
      @Override
      public CompletionStage<Optional<Manifest>> load(String region) {
        return CompletableFuture.completedFuture(Optional.ofNullable(stored.get(region)));
      }

      @Override
      public CompletionStage<Void> save(String region, Manifest manifest) {
        stored.put(region, manifest);
        return CompletableFuture.completedFuture(null);
      }
    };
  }

  private ManifestPublisher.ScheduleRunner runner(String region) {
    return new ManifestPublisher.ScheduleRunner() {
      @Override
      public void run(ExperimentScheduler.Due due) {
        replica(region, due.key())
            .tell(
                new ExperimentEntity.Transition(
                    due.action(), GeoReplication.SCHEDULER, kit.system().ignoreRef()));
      }

      @Override
      public void advance(ExperimentScheduler.Advance advance) {}

      @Override
      public void release(ExperimentScheduler.Release release) {
        releasesSent.get(region).incrementAndGet();
        if (dropReleases.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          return;
        }
        layerWriter(release.layer())
            .tell(new LayerEntity.Release(release.owner(), kit.system().ignoreRef()));
      }
    };
  }

  ActorRef<ExperimentEntity.Command> replica(String region, String key) {
    return replicas.computeIfAbsent(
        region + "/" + key,
        k ->
            kit.spawn(
                ExperimentEntity.create(
                    key,
                    region,
                    ALL,
                    PersistenceTestKitReadJournal.Identifier(),
                    clock,
                    new ExperimentEntity.StateListener() {
                      @Override
                      public void updated(String key, ExperimentState state) {
                        var publisher = publishers.get(region);
                        if (publisher != null) {
                          publisher.tell(new ManifestPublisher.ExperimentUpdated(key, state));
                        }
                      }
                    })));
  }

  private ActorRef<LayerEntity.Command> layerWriter(String key) {
    return layers.computeIfAbsent(
        key,
        k ->
            kit.spawn(
                LayerEntity.create(
                    key,
                    HOME,
                    HOME,
                    clock,
                    (layer, state) -> {
                      var publisher = publishers.get(HOME);
                      if (publisher != null) {
                        publisher.tell(new ManifestPublisher.LayerUpdated(layer, state));
                      }
                    })));
  }

  void createLayer(String layer) {
    assertThat(askLayer(layerWriter(layer), r -> new LayerEntity.Create(ADMIN, r)))
        .isInstanceOf(LayerEntity.Accepted.class);
  }

  /** As the admin API creates a layered experiment: the slots first, then the experiment. */
  void create(String key, String layer, Instant endAt) {
    assertThat(
            askLayer(
                layerWriter(layer),
                r -> new LayerEntity.Allocate(key, new SlotRange(0, 2500), false, r)))
        .isInstanceOf(LayerEntity.Accepted.class);
    ObjectNode node =
        Json.mapper()
            .valueToTree(
                Experiment.draft(key, key, 10_000, List.of(new Variant("on", 10_000, null))));
    node.put("layer", layer);
    node.putArray("layerSlots").add(0).add(2500);
    if (endAt != null) {
      node.put("endAt", endAt.toString());
    }
    Experiment draft = Json.mapper().convertValue(node, Experiment.class);
    assertThat(askExperiment(HOME, key, r -> new ExperimentEntity.Create(draft, ADMIN, r)))
        .isInstanceOf(ExperimentEntity.Accepted.class);
    replica(OTHER, key);
  }

  String startInLayer(String key, String layer) {
    createLayer(layer);
    create(key, layer, null);
    transition(HOME, key, Lifecycle.START);
    assertHeld(layer, key);
    return key;
  }

  void transition(String region, String key, Lifecycle action) {
    var reply = askExperiment(region, key, r -> new ExperimentEntity.Transition(action, ADMIN, r));
    assertThat(reply).as(action + " in " + region).isInstanceOf(ExperimentEntity.Accepted.class);
  }

  String status(String region, String key) {
    var reply = askExperiment(region, key, ExperimentEntity.Get::new);
    return ((ExperimentEntity.Accepted) reply).experiment().status().name();
  }

  void wake(String region, String key) {
    replica(region, key).tell(ExperimentEntity.Wake.INSTANCE);
  }

  /** Until {@code region} has the experiment as running: replicated, start included. */
  void awaitRunning(String region, String key) {
    kit.createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              var reply = askExperiment(region, key, ExperimentEntity.Get::new);
              assertThat(reply).isInstanceOf(ExperimentEntity.Accepted.class);
              assertThat(((ExperimentEntity.Accepted) reply).experiment().status().name())
                  .isEqualTo("RUNNING");
              return null;
            });
  }

  /** The layer as every region reads it (GET /v1/layers/{key}): recovered from the journal. */
  LayerState layer(String key) {
    var reader = kit.spawn(LayerEntity.create(key, OTHER, HOME, clock, (k, s) -> {}));
    return ((LayerEntity.Accepted) askLayer(reader, LayerEntity.Get::new)).layer();
  }

  LayerState release(String layer, String owner) {
    return ((LayerEntity.Accepted)
            askLayer(layerWriter(layer), r -> new LayerEntity.Release(owner, r)))
        .layer();
  }

  void assertHeld(String layer, String owner) {
    assertThat(layer(layer).allocations()).containsKey(owner);
  }

  void awaitFree(String layer, String owner) {
    kit.createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              LayerState state = layer(layer);
              assertThat(state.allocations()).doesNotContainKey(owner);
              assertThat(state.freeRanges()).containsExactly(new SlotRange(0, LayerState.SLOTS));
              return null;
            });
  }

  ManifestPublisher.PendingReleases pending(String region) {
    return kit.<ManifestPublisher.PendingReleases>createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              var probe = kit.<ManifestPublisher.PendingReleases>createTestProbe();
              publishers.get(region).tell(new ManifestPublisher.ListPendingReleases(probe.ref()));
              return probe.receiveMessage(Duration.ofSeconds(3));
            });
  }

  ManifestPublisher.PendingReleases awaitPending(String region, int count) {
    return kit.createTestProbe()
        .awaitAssert(
            WAIT,
            () -> {
              var answer = pending(region);
              assertThat(answer.releases()).hasSize(count);
              return answer;
            });
  }

  void awaitNoPending(String region) {
    awaitPending(region, 0);
  }

  int releasesSentBy(String region) {
    return releasesSent.get(region).get();
  }

  void dropNextReleases(int count) {
    dropReleases.set(count);
  }

  private LayerEntity.Reply askLayer(
      ActorRef<LayerEntity.Command> layer,
      Function<ActorRef<LayerEntity.Reply>, LayerEntity.Command> command) {
    var probe = kit.<LayerEntity.Reply>createTestProbe();
    layer.tell(command.apply(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }

  private ExperimentEntity.Reply askExperiment(
      String region,
      String key,
      Function<ActorRef<ExperimentEntity.Reply>, ExperimentEntity.Command> command) {
    var probe = kit.<ExperimentEntity.Reply>createTestProbe();
    replica(region, key).tell(command.apply(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(5));
  }
}
