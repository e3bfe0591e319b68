package org.abtest.analytics.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.protocol.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One experiment's totals, merged from the latest partial of every Kafka partition (DESIGN.md §2,
 * §6). A partial replaces that partition's previous one, never adds to it, so a partial sent twice
 * or re-sent after a partition restarted from its snapshot cannot count anything twice; a partial
 * older (by offset) than the one held is ignored.
 */
public final class ExperimentAggregator
    extends EventSourcedBehaviorWithEnforcedReplies<
        ExperimentAggregator.Command, ExperimentAggregator.Event, ExperimentAggregator.State> {

  private static final Logger log = LoggerFactory.getLogger(ExperimentAggregator.class);

  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "ExperimentAggregator");

  public sealed interface Command extends CborSerializable {}

  /** A partition's partial totals (one per phase) as of {@code nextOffset}; no reply. */
  public record ReplacePartial(int partition, long nextOffset, List<ExperimentTotals> phases)
      implements Command {}

  public record GetTotals(ActorRef<Totals> replyTo) implements Command {}

  /** Merged totals per phase, and how far each partition had read when it sent its partial. */
  public record Totals(Map<Integer, ExperimentTotals> byPhase, Map<Integer, Long> offsets)
      implements CborSerializable {}

  public sealed interface Event extends CborSerializable {}

  public record PartialReplaced(int partition, long nextOffset, List<ExperimentTotals> phases)
      implements Event {}

  /** What one partition last said. */
  public record Partial(long nextOffset, List<ExperimentTotals> phases)
      implements CborSerializable {}

  public record State(Map<Integer, Partial> partitions) implements CborSerializable {

    State with(PartialReplaced e) {
      Map<Integer, Partial> next = new TreeMap<>(partitions);
      next.put(e.partition(), new Partial(e.nextOffset(), e.phases()));
      return new State(next);
    }

    public Totals totals(String experiment) {
      Map<Integer, List<ExperimentTotals>> byPhase = new TreeMap<>();
      Map<Integer, Long> offsets = new LinkedHashMap<>();
      new TreeMap<>(partitions)
          .forEach(
              (partition, partial) -> {
                offsets.put(partition, partial.nextOffset());
                partial
                    .phases()
                    .forEach(
                        t -> byPhase.computeIfAbsent(t.phase(), p -> new ArrayList<>()).add(t));
              });
      Map<Integer, ExperimentTotals> merged = new TreeMap<>();
      byPhase.forEach(
          (phase, list) -> merged.put(phase, TotalsMerge.merge(experiment, phase, list)));
      return new Totals(merged, offsets);
    }
  }

  /** How the aggregators of a node write their hourly series. */
  /**
   * @param region with several regions, this region's name: each region keeps its own aggregator
   *     per experiment in the shared journal, so the persistence id names the region; {@code null}
   *     with a single region
   */
  public record Settings(
      ResultsTimeseries timeseries, Duration timeseriesInterval, Clock clock, String region) {

    public Settings(ResultsTimeseries timeseries, Duration timeseriesInterval, Clock clock) {
      this(timeseries, timeseriesInterval, clock, null);
    }

    String persistenceType() {
      return region == null ? ENTITY_TYPE_KEY.name() : ENTITY_TYPE_KEY.name() + "@" + region;
    }
  }

  public static void init(ActorSystem<?> system, Settings settings) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), settings)));
  }

  public static Behavior<Command> create(String experiment, Settings settings) {
    return new ExperimentAggregator(experiment, settings);
  }

  private final String experiment;
  private final Settings settings;
  // Throttle for the hourly series: when it was last written. Not state: losing it only means
  // one early write after a restart.
  private Instant lastWritten = Instant.EPOCH;

  private ExperimentAggregator(String experiment, Settings settings) {
    super(PersistenceId.of(settings.persistenceType(), experiment));
    this.experiment = experiment;
    this.settings = settings;
  }

  @Override
  public State emptyState() {
    return new State(Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // The journal would otherwise grow with time; every snapshot holds all that matters.
    return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ReplacePartial.class, this::onReplace)
        .onCommand(GetTotals.class, (s, c) -> Effect().reply(c.replyTo(), s.totals(experiment)))
        .build();
  }

  private ReplyEffect<Event, State> onReplace(State state, ReplacePartial c) {
    Partial held = state.partitions().get(c.partition());
    if (held != null
        && (held.nextOffset() > c.nextOffset()
            || (held.nextOffset() == c.nextOffset() && held.phases().equals(c.phases())))) {
      return Effect().noReply();
    }
    return Effect()
        .persist(new PartialReplaced(c.partition(), c.nextOffset(), c.phases()))
        .thenRun(this::maybeWriteSeries)
        .thenNoReply();
  }

  private void maybeWriteSeries(State state) {
    Instant now = settings.clock().instant();
    boolean newHour =
        !now.truncatedTo(ChronoUnit.HOURS).equals(lastWritten.truncatedTo(ChronoUnit.HOURS));
    if (!newHour
        && Duration.between(lastWritten, now).compareTo(settings.timeseriesInterval()) < 0) {
      return;
    }
    lastWritten = now;
    for (ExperimentTotals totals : state.totals(experiment).byPhase().values()) {
      settings
          .timeseries()
          .write(totals, now)
          .whenComplete(
              (done, error) -> {
                if (error != null) {
                  log.warn("hourly results of {} not written", experiment, error);
                }
              });
    }
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(PartialReplaced.class, State::with)
        .build();
  }
}
