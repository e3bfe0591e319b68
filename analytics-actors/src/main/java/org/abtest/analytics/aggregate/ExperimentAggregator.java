package org.abtest.analytics.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.abtest.analytics.results.GuardrailWatch;
import org.abtest.analytics.results.SequentialLedger;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.SequentialMethod;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One experiment's totals, merged from the latest partial of every Kafka partition (DESIGN.md §2,
 * §6). A partial replaces that partition's previous one, never adds to it, so a partial sent twice
 * or re-sent after a partition restarted from its snapshot cannot count anything twice; a partial
 * older (by offset) than the one held is ignored.
 *
 * <p>The sequential ledger of the current phase (mSPRT running minimum and confidence-sequence
 * intersection, O'Brien–Fleming looks) is part of the persisted state: folded forward at every
 * change of the merged totals, persisted with the partial that changed them, so every node reads
 * the same one from this single entity and a restart recovers it. Folding needs the definition,
 * which is fetched (and refreshed every {@code definitionRefresh}) from the experiment service;
 * until it has arrived, totals change without a fold, which only leaves out looks.
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

  private record DefinitionLoaded(Experiment experiment)
      implements Command, NoSerializationVerificationNeeded {}

  private enum WriteSeries implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  private record SeriesWritten(int phase, boolean ok)
      implements Command, NoSerializationVerificationNeeded {}

  /**
   * Merged totals per phase, how far each partition had read when it sent its partial, the
   * sequential ledger of the current phase (null before the first fold) and when each phase's first
   * partial arrived here (the start of its time series).
   */
  public record Totals(
      Map<Integer, ExperimentTotals> byPhase,
      Map<Integer, Long> offsets,
      SequentialLedger sequential,
      Map<Integer, Instant> phaseStarts)
      implements CborSerializable {}

  public sealed interface Event extends CborSerializable {}

  /** {@code receivedAt}: null in events written before it was recorded. */
  public record PartialReplaced(
      int partition, long nextOffset, List<ExperimentTotals> phases, Instant receivedAt)
      implements Event {}

  public record SequentialAdvanced(SequentialLedger ledger) implements Event {}

  /** What one partition last said. */
  public record Partial(long nextOffset, List<ExperimentTotals> phases)
      implements CborSerializable {}

  public record State(
      Map<Integer, Partial> partitions,
      SequentialLedger sequential,
      Map<Integer, Instant> phaseStarts)
      implements CborSerializable {

    public State {
      // snapshots taken before the ledger and phase starts existed read back as null
      partitions = partitions == null ? Map.of() : partitions;
      phaseStarts = phaseStarts == null ? Map.of() : phaseStarts;
    }

    State with(PartialReplaced e) {
      Map<Integer, Partial> next = new TreeMap<>(partitions);
      next.put(e.partition(), new Partial(e.nextOffset(), e.phases()));
      Map<Integer, Instant> starts = new TreeMap<>(phaseStarts);
      if (e.receivedAt() != null) {
        e.phases().forEach(t -> starts.putIfAbsent(t.phase(), e.receivedAt()));
      }
      return new State(next, sequential, starts);
    }

    State with(SequentialAdvanced e) {
      return new State(partitions, e.ledger(), phaseStarts);
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
      return new Totals(merged, offsets, sequential, phaseStarts);
    }
  }

  /** Where the time series rows go ({@link ResultsTimeseries}). */
  public interface SeriesSink {
    /** Overwrites the row of the bucket starting at {@code bucket}. */
    CompletionStage<Done> write(ExperimentTotals totals, Instant bucket);
  }

  /**
   * @param timeseriesInterval the series is at most this far behind the totals
   * @param definitions an experiment's current definition, by key (an environment's results key
   *     names its experiment's, {@code Environments.experimentOf})
   * @param region with several regions, this region's name: each region keeps its own aggregator
   *     per experiment in the shared journal, so the persistence id names the region; {@code null}
   *     with a single region
   * @param guardrails where violated guardrails of the running experiment go
   */
  public record Settings(
      SeriesSink timeseries,
      Duration timeseriesInterval,
      SeriesBuckets buckets,
      Function<String, CompletionStage<Experiment>> definitions,
      Duration definitionRefresh,
      Clock clock,
      String region,
      GuardrailWatch.Sink guardrails) {

    String persistenceType() {
      return region == null ? ENTITY_TYPE_KEY.name() : ENTITY_TYPE_KEY.name() + "@" + region;
    }
  }

  public static void init(ActorSystem<?> system, Settings settings) {
    ClusterSharding.get(system)
        .init(Entity.of(ENTITY_TYPE_KEY, ctx -> create(ctx.getEntityId(), settings)));
  }

  public static Behavior<Command> create(String experiment, Settings settings) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new ExperimentAggregator(experiment, settings, ctx, timers)));
  }

  private final String experiment;
  private final Settings settings;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final SeriesThrottle series;
  private final GuardrailWatch watch = new GuardrailWatch();
  // The definition as last fetched: a cache, not state (the ledger it produced is persisted).
  private Experiment definition;
  private Instant definitionAt = Instant.EPOCH;
  private boolean fetching;

  private ExperimentAggregator(
      String experiment,
      Settings settings,
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(settings.persistenceType(), experiment));
    this.experiment = experiment;
    this.settings = settings;
    this.ctx = ctx;
    this.timers = timers;
    this.series = new SeriesThrottle(settings.timeseriesInterval());
  }

  @Override
  public State emptyState() {
    return new State(Map.of(), null, Map.of());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    // The journal would otherwise grow with time; every snapshot holds all that matters.
    return RetentionCriteria.snapshotEvery(200, 2).withDeleteEventsOnSnapshot();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> fetchDefinition())
        .build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(ReplacePartial.class, this::onReplace)
        .onCommand(GetTotals.class, (s, c) -> Effect().reply(c.replyTo(), s.totals(experiment)))
        .onCommand(DefinitionLoaded.class, this::onDefinition)
        .onCommand(WriteSeries.class, (s, c) -> onWriteSeries(s))
        .onCommand(SeriesWritten.class, this::onSeriesWritten)
        .build();
  }

  private ReplyEffect<Event, State> onReplace(State state, ReplacePartial c) {
    Partial held = state.partitions().get(c.partition());
    if (held != null
        && (held.nextOffset() > c.nextOffset()
            || (held.nextOffset() == c.nextOffset() && held.phases().equals(c.phases())))) {
      return Effect().noReply();
    }
    if (settings.clock().instant().isAfter(definitionAt.plus(settings.definitionRefresh()))) {
      fetchDefinition();
    }
    var replaced =
        new PartialReplaced(c.partition(), c.nextOffset(), c.phases(), settings.clock().instant());
    List<Event> events = new ArrayList<>(List.of(replaced));
    SequentialLedger ledger = fold(state.with(replaced));
    if (ledger != null && !ledger.equals(state.sequential())) {
      events.add(new SequentialAdvanced(ledger));
    }
    return Effect()
        .persist(events)
        .thenRun(
            s -> {
              c.phases().forEach(t -> seriesChanged(t.phase()));
              watchGuardrails(s);
            })
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onDefinition(State state, DefinitionLoaded d) {
    fetching = false;
    definitionAt = settings.clock().instant();
    if (d.experiment() != null) {
      definition = d.experiment();
    }
    SequentialLedger ledger = fold(state);
    return ledger == null || ledger.equals(state.sequential())
        ? Effect().noReply()
        : Effect().persist(new SequentialAdvanced(ledger)).thenNoReply();
  }

  /** The ledger folded to the current phase's totals; null without a definition or such totals. */
  private SequentialLedger fold(State state) {
    if (definition == null || definition.sequential() == SequentialMethod.NONE) {
      return null; // nothing to keep: spare the merge and the analysis
    }
    ExperimentTotals totals = state.totals(experiment).byPhase().get(definition.phase());
    if (totals == null) {
      return null;
    }
    try {
      return SequentialLedger.advance(definition, totals, state.sequential());
    } catch (RuntimeException e) {
      log.warn("sequential state of {} not advanced", experiment, e);
      return null;
    }
  }

  /** Hands each violated guardrail of the running experiment on (never fails the aggregator). */
  private void watchGuardrails(State state) {
    // guardrails act on production's results only: a staging regression never kills production
    if (definition == null
        || definition.guardrails().isEmpty()
        || !Environments.ofDefault(experiment)) {
      return;
    }
    try {
      ExperimentTotals totals = state.totals(experiment).byPhase().get(definition.phase());
      for (var g : watch.due(definition, totals, settings.clock().instant())) {
        log.warn("{}: {}", experiment, GuardrailWatch.reason(g));
        settings.guardrails().violated(definition, g);
      }
    } catch (RuntimeException e) {
      log.warn("guardrails of {} not checked", experiment, e);
    }
  }

  private void fetchDefinition() {
    if (fetching) {
      return;
    }
    fetching = true;
    ctx.pipeToSelf(
        settings.definitions().apply(experiment),
        (experiment, error) -> new DefinitionLoaded(error == null ? experiment : null));
  }

  private void seriesChanged(int phase) {
    Duration delay = series.changed(phase, settings.clock().instant());
    if (delay != null) {
      timers.startSingleTimer(WriteSeries.INSTANCE, delay);
    }
  }

  private ReplyEffect<Event, State> onWriteSeries(State state) {
    Totals totals = state.totals(experiment);
    for (int phase : series.due(settings.clock().instant())) {
      ExperimentTotals t = totals.byPhase().get(phase);
      if (t == null) {
        continue;
      }
      Instant now = settings.clock().instant();
      Instant bucket =
          settings.buckets().bucketOf(totals.phaseStarts().getOrDefault(phase, now), now);
      ctx.pipeToSelf(
          settings.timeseries().write(t, bucket),
          (done, error) -> {
            if (error != null) {
              log.warn("time series of {} phase {} not written", experiment, phase, error);
            }
            return new SeriesWritten(phase, error == null);
          });
    }
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onSeriesWritten(State state, SeriesWritten w) {
    if (!w.ok()) {
      seriesChanged(w.phase()); // written again at the next turn
    }
    return Effect().noReply();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(PartialReplaced.class, State::with)
        .onEvent(SequentialAdvanced.class, State::with)
        .build();
  }
}
