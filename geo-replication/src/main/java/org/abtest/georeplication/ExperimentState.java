package org.abtest.georeplication;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentPatch;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Phase;

/**
 * One experiment as a replica sees it, with the stamps that make concurrent writes from other
 * replicas resolve the same way everywhere ({@link ConflictRules}). Pure and immutable: the
 * entity's event handler and the manifest projection fold the same events through it.
 *
 * @param fieldStamps the stamp of the write that set each field resolved on its own, by JSON name
 *     (and {@code phase#n} for each phase)
 * @param phases every phase of the experiment by number
 * @param appliedEvents how many events were folded; the experiment's {@code version}
 * @param latest the newest stamp seen; a local write is always stamped after it
 */
public record ExperimentState(
    Experiment experiment,
    Map<String, Stamp> fieldStamps,
    Stamp statusStamp,
    Map<Integer, Phase> phases,
    long appliedEvents,
    Stamp latest)
    implements CborSerializable {

  public static final ExperimentState EMPTY =
      new ExperimentState(null, Map.of(), Stamp.ZERO, Map.of(), 0, Stamp.ZERO);

  public ExperimentState {
    fieldStamps = Map.copyOf(fieldStamps);
    phases = Map.copyOf(phases);
  }

  public boolean exists() {
    return experiment != null;
  }

  public ExperimentStatus status() {
    return experiment.status();
  }

  public List<Phase> phaseList() {
    return List.copyOf(new TreeMap<>(phases).values());
  }

  /**
   * The time to stamp a new local write with: now, or just after the newest write seen, so that a
   * change made after seeing another replica's write wins over it even with skewed clocks.
   */
  public Instant nextWriteTime(Instant now) {
    return latest.millis() >= now.toEpochMilli() ? Instant.ofEpochMilli(latest.millis() + 1) : now;
  }

  public ExperimentState created(Experiment created, Origin origin) {
    Stamp stamp = origin.stamp();
    ExperimentState base =
        exists()
            ? this
            : new ExperimentState(created, Map.of(), Stamp.ZERO, Map.of(), appliedEvents, latest);
    return base.withFields(ExperimentField.perField(), created, stamp)
        .withStatus(ExperimentStatus.DRAFT, null, stamp)
        .withPhase(new Phase(1, created.salt(), created.createdAt()), stamp)
        .counted(stamp);
  }

  /**
   * A change written in some replica: {@code revised} is the experiment as its writer saw it after
   * the change, and only {@code fields} are taken from it, each if its write is the newest.
   */
  public ExperimentState changed(
      List<ExperimentField> fields, Experiment revised, Phase newPhase, Origin origin) {
    if (!exists()) {
      return counted(origin.stamp());
    }
    Stamp stamp = origin.stamp();
    ExperimentState next = withFields(fields, revised, stamp);
    if (newPhase != null) {
      next = next.withPhase(newPhase, stamp);
    }
    return next.counted(stamp);
  }

  /** A change given as field changes, applied to this replica's experiment. */
  public ExperimentState changed(ExperimentPatch patch, Phase newPhase, Origin origin) {
    if (!exists()) {
      return counted(origin.stamp());
    }
    return changed(List.copyOf(patch.fields()), patch.applyTo(experiment), newPhase, origin);
  }

  /**
   * A status written in some replica; {@code ship} is the variant a conclude shipped (null
   * otherwise). The shipped variant is part of the status write: it stands or falls with it, so a
   * kill that wins over the conclude takes it back.
   */
  public ExperimentState statusChanged(ExperimentStatus to, String ship, Origin origin) {
    if (!exists()) {
      return counted(origin.stamp());
    }
    return withStatus(to, ship, origin.stamp()).counted(origin.stamp());
  }

  /** The experiment as it would be with these changes: to validate a change before it is made. */
  public Experiment preview(ExperimentPatch patch) {
    return patch.applyTo(experiment);
  }

  private ExperimentState withFields(List<ExperimentField> fields, Experiment values, Stamp stamp) {
    Map<String, Stamp> stamps = new HashMap<>(fieldStamps);
    Map<ExperimentField, Object> won = new EnumMap<>(ExperimentField.class);
    for (ExperimentField field : fields) {
      if (ConflictRules.fieldWins(stamp, stamps.get(field.jsonName()))) {
        won.put(field, field.get(values));
        stamps.put(field.jsonName(), stamp);
      }
    }
    return new ExperimentState(
        experiment.with(won), stamps, statusStamp, phases, appliedEvents, latest);
  }

  private ExperimentState withStatus(ExperimentStatus to, String ship, Stamp stamp) {
    if (!ConflictRules.statusWins(to, stamp, experiment.status(), statusStamp)) {
      return this;
    }
    Map<ExperimentField, Object> status = new EnumMap<>(ExperimentField.class);
    status.put(ExperimentField.STATUS, to);
    status.put(ExperimentField.SHIPPED, to == ExperimentStatus.CONCLUDED ? ship : null);
    Experiment e = experiment.with(status);
    return new ExperimentState(e, fieldStamps, stamp, phases, appliedEvents, latest);
  }

  private ExperimentState withPhase(Phase phase, Stamp stamp) {
    String key = "phase#" + phase.number();
    if (!ConflictRules.fieldWins(stamp, fieldStamps.get(key))) {
      return this;
    }
    Map<Integer, Phase> all = new HashMap<>(phases);
    all.put(phase.number(), phase);
    Map<String, Stamp> stamps = new HashMap<>(fieldStamps);
    stamps.put(key, stamp);
    return new ExperimentState(experiment, stamps, statusStamp, all, appliedEvents, latest);
  }

  /** Every event counts towards the version, including one whose writes lost to newer ones. */
  private ExperimentState counted(Stamp stamp) {
    Stamp newest = Stamp.max(latest, stamp);
    long applied = appliedEvents + 1;
    Experiment e = experiment;
    if (e != null) {
      Map<ExperimentField, Object> derived = new EnumMap<>(ExperimentField.class);
      derived.put(ExperimentField.VERSION, applied);
      derived.put(ExperimentField.UPDATED_AT, Instant.ofEpochMilli(newest.millis()));
      e = e.with(derived);
    }
    return new ExperimentState(e, fieldStamps, statusStamp, phases, applied, newest);
  }
}
