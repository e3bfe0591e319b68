package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.Json;

/**
 * Changes to an experiment's fields, each value already checked and in the experiment's own JSON
 * form (a null value clears the field). Built by the HTTP layer from a PATCH, or by the system (the
 * bandit's weights); applied by the experiment entity.
 */
public record ExperimentPatch(List<Change> changes) implements CborSerializable {

  /** One field's new value; {@code value} is null (or JSON null) to clear it. */
  public record Change(ExperimentField field, JsonNode value) {}

  public ExperimentPatch {
    changes = List.copyOf(changes);
  }

  /** A patch setting one field to a value of the record's type. */
  public static ExperimentPatch of(ExperimentField field, Object value) {
    return new ExperimentPatch(List.of(new Change(field, Json.mapper().valueToTree(value))));
  }

  @JsonIgnore
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * The changes of an object of the experiment's JSON fields (as the journal's first change events
   * carried them); names that are not fields are left out.
   */
  public static ExperimentPatch fromJson(ObjectNode fields) {
    List<Change> changes = new ArrayList<>();
    fields
        .properties()
        .forEach(
            e -> {
              ExperimentField field = ExperimentField.fromJson(e.getKey());
              if (field != null) {
                changes.add(new Change(field, e.getValue()));
              }
            });
    return new ExperimentPatch(changes);
  }

  public boolean has(ExperimentField field) {
    return changes.stream().anyMatch(c -> c.field() == field);
  }

  /** The JSON value given for a field, or null when the patch does not change it. */
  public JsonNode valueOf(ExperimentField field) {
    for (Change change : changes) {
      if (change.field() == field) {
        return change.value();
      }
    }
    return null;
  }

  public Set<ExperimentField> fields() {
    return changes.stream()
        .map(Change::field)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ExperimentField.class)));
  }

  /** The typed values, field by field (null clears). */
  public Map<ExperimentField, Object> values() {
    Map<ExperimentField, Object> values = new EnumMap<>(ExperimentField.class);
    changes.forEach(c -> values.put(c.field(), c.field().decode(c.value())));
    return values;
  }

  /** The experiment as it is with these changes. */
  public Experiment applyTo(Experiment experiment) {
    return experiment.with(values());
  }

  /** This patch with more changes after it (a later change of the same field wins). */
  public ExperimentPatch and(ExperimentField field, Object value) {
    Map<ExperimentField, JsonNode> all = new LinkedHashMap<>();
    changes.forEach(c -> all.put(c.field(), c.value()));
    all.put(field, Json.mapper().valueToTree(value));
    List<Change> next = new ArrayList<>();
    all.forEach((f, v) -> next.add(new Change(f, v)));
    return new ExperimentPatch(next);
  }
}
