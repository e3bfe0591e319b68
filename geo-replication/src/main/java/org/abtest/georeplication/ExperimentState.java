package org.abtest.georeplication;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Phase;

/**
 * One experiment as a replica sees it, with the stamps that make concurrent writes from other
 * replicas resolve the same way everywhere ({@link ConflictRules}). Pure and immutable: the
 * entity's event handler and the manifest projection fold the same events through it.
 *
 * @param fieldStamps the stamp of the write that set each definition field
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

  /** The fields a create or a change writes, each resolved on its own. */
  public static final List<String> DEFINITION_FIELDS =
      List.of(
          "name",
          "hypothesis",
          "type",
          "layer",
          "layerSlots",
          "targeting",
          "coverage",
          "variants",
          "metrics",
          "primaryMetric",
          "alpha",
          "sampleSizeTarget",
          "sequential",
          "looks",
          "holdout",
          "overrides",
          "startAt",
          "endAt",
          "salt",
          "phase",
          "createdAt");

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
    ObjectNode all = Json.mapper().valueToTree(created);
    ObjectNode fields = Json.mapper().createObjectNode();
    for (String field : DEFINITION_FIELDS) {
      fields.set(field, all.get(field));
    }
    ExperimentState base =
        exists()
            ? this
            : new ExperimentState(created, Map.of(), Stamp.ZERO, Map.of(), appliedEvents, latest);
    return base.withFields(fields, stamp)
        .withStatus(ExperimentStatus.DRAFT, stamp)
        .withPhase(new Phase(1, created.salt(), created.createdAt()), stamp)
        .counted(stamp);
  }

  public ExperimentState changed(ObjectNode changes, Phase newPhase, Origin origin) {
    if (!exists()) {
      return counted(origin.stamp());
    }
    Stamp stamp = origin.stamp();
    ExperimentState next = withFields(changes, stamp);
    if (newPhase != null) {
      next = next.withPhase(newPhase, stamp);
    }
    return next.counted(stamp);
  }

  public ExperimentState statusChanged(ExperimentStatus to, Origin origin) {
    if (!exists()) {
      return counted(origin.stamp());
    }
    return withStatus(to, origin.stamp()).counted(origin.stamp());
  }

  /** The experiment as it would be with these changes: to validate a change before it is made. */
  public Experiment preview(ObjectNode changes) {
    ObjectNode node = Json.mapper().valueToTree(experiment);
    changes.properties().forEach(e -> setOrRemove(node, e.getKey(), e.getValue()));
    return read(node);
  }

  private ExperimentState withFields(ObjectNode changes, Stamp stamp) {
    ObjectNode node = Json.mapper().valueToTree(experiment);
    Map<String, Stamp> stamps = new HashMap<>(fieldStamps);
    changes
        .properties()
        .forEach(
            e -> {
              if (ConflictRules.fieldWins(stamp, stamps.get(e.getKey()))) {
                setOrRemove(node, e.getKey(), e.getValue());
                stamps.put(e.getKey(), stamp);
              }
            });
    return new ExperimentState(read(node), stamps, statusStamp, phases, appliedEvents, latest);
  }

  private ExperimentState withStatus(ExperimentStatus to, Stamp stamp) {
    if (!ConflictRules.statusWins(to, stamp, experiment.status(), statusStamp)) {
      return this;
    }
    Experiment e = experiment.withStatus(to, experiment.updatedAt());
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
      ObjectNode node = Json.mapper().valueToTree(e);
      node.put("version", applied);
      node.put("updatedAt", Instant.ofEpochMilli(newest.millis()).toString());
      e = read(node);
    }
    return new ExperimentState(e, fieldStamps, statusStamp, phases, applied, newest);
  }

  private static void setOrRemove(ObjectNode node, String field, JsonNode value) {
    if (value == null || value.isNull()) {
      node.remove(field);
    } else {
      node.set(field, value);
    }
  }

  private static Experiment read(ObjectNode node) {
    try {
      return Json.mapper().treeToValue(node, Experiment.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored experiment no longer reads: " + e.getMessage(), e);
    }
  }
}
