package org.abtest.georeplication;

import com.typesafe.config.Config;
import java.time.Clock;
import java.util.Set;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * Starts the experiment side of a node: the manifest publisher singleton, then the sharded
 * experiment and layer entities that feed it, one replica per region of {@link Regions}.
 */
public final class GeoReplication {

  /** The system's own changes (scheduled starts and stops) are recorded as made by this author. */
  public static final Author SCHEDULER = new Author("system", "scheduler");

  /** A ramp's steps are recorded as made by this author. */
  public static final Author RAMP = new Author("system", "ramp");

  public record Started(ActorRef<ManifestPublisher.Command> publisher, Regions regions) {}

  private GeoReplication() {}

  public static Started init(ActorSystem<?> system, Regions topology, Clock clock) {
    Config config = system.settings().config();
    String region = topology.self();
    Set<String> regions = topology.all();
    Config manifest = config.getConfig("abtest.manifest");
    String home = topology.layerHome();
    var store =
        new CassandraManifestStore(
            // Our own session: taking the plugin's ("pekko.persistence.cassandra") first would
            // create it without the plugin's schema initialisation.
            CassandraSessionRegistry.get(system).sessionFor(CassandraSessionSettings.create()),
            config.getString("pekko.persistence.cassandra.journal.keyspace"),
            config.getString("abtest.cassandra.replication"),
            manifest.getBoolean("tables-autocreate"));
    ClusterSharding sharding = ClusterSharding.get(system);
    ManifestPublisher.ScheduleRunner runner =
        new ManifestPublisher.ScheduleRunner() {
          @Override
          public void run(ExperimentScheduler.Due due) {
            sharding
                .entityRefFor(ExperimentEntity.ENTITY_TYPE_KEY, due.key())
                .tell(new ExperimentEntity.Transition(due.action(), SCHEDULER, system.ignoreRef()));
          }

          @Override
          public void advance(ExperimentScheduler.Advance step) {
            sharding
                .entityRefFor(ExperimentEntity.ENTITY_TYPE_KEY, step.key())
                .tell(
                    new ExperimentEntity.Patch(
                        ExperimentPatch.of(ExperimentField.COVERAGE, step.coverage()),
                        step.expectedVersion(),
                        false,
                        RAMP,
                        system.ignoreRef()));
          }

          @Override
          public void release(ExperimentScheduler.Release release) {
            sharding
                .entityRefFor(LayerEntity.ENTITY_TYPE_KEY, release.layer())
                .tell(new LayerEntity.Release(release.owner(), system.ignoreRef()));
          }
        };
    ActorRef<ManifestPublisher.Command> publisher =
        ClusterSingleton.get(system)
            .init(
                SingletonActor.of(
                    ManifestPublisher.create(
                        new ManifestPublisher.Settings(
                            region,
                            home,
                            manifest.getDuration("publish-delay"),
                            manifest.getDuration("schedule-interval"),
                            new SlotReleases.Retry(
                                manifest.getDuration("release-retry-min"),
                                manifest.getDuration("release-retry-max")),
                            CassandraReadJournal.Identifier()),
                        store,
                        runner,
                        clock),
                    "manifest-publisher"));
    ReplicationLag lag = ReplicationLag.get(system);
    ExperimentEntity.StateListener toPublisher =
        new ExperimentEntity.StateListener() {
          @Override
          public void updated(String key, ExperimentState state) {
            publisher.tell(new ManifestPublisher.ExperimentUpdated(key, state));
          }

          @Override
          public void replicated(String key, ExperimentState state, Origin origin) {
            lag.record(origin.region(), origin.at(), clock.instant());
            updated(key, state);
          }
        };
    sharding.init(
        Entity.of(
            ExperimentEntity.ENTITY_TYPE_KEY,
            ctx ->
                ExperimentEntity.create(
                    ctx.getEntityId(),
                    region,
                    regions,
                    CassandraReadJournal.Identifier(),
                    clock,
                    toPublisher)));
    sharding.init(
        Entity.of(
            LayerEntity.ENTITY_TYPE_KEY,
            ctx ->
                LayerEntity.create(
                    ctx.getEntityId(),
                    region,
                    home,
                    clock,
                    (key, state) ->
                        publisher.tell(new ManifestPublisher.LayerUpdated(key, state)))));
    Set<String> others = topology.others();
    if (!others.isEmpty()) {
      ClusterSingleton.get(system)
          .init(
              SingletonActor.of(
                  ReplicationWaker.create(
                      others,
                      sharding,
                      CassandraReadJournal.Identifier(),
                      manifest.getDuration("wake-interval"),
                      clock),
                  "replication-waker"));
    }
    return new Started(publisher, topology);
  }
}
