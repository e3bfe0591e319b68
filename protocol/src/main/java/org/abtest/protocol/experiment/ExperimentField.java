package org.abtest.protocol.experiment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;

/**
 * Every field of an {@link Experiment}, declared once, in the record's order: its JSON name, who
 * writes it and when ({@link Access}), how concurrent writes from different regions resolve ({@link
 * Resolution}) and how a request's value is checked ({@link Check}). Request parsing, PATCH
 * application, conflict resolution, the persisted events, the audit trail and the tests that hold
 * the OpenAPI file and the console to the model all derive from this table.
 *
 * <p>Adding a field to the experiment is a component of the record and a line here; a field whose
 * {@link Check} is new needs that check in the HTTP layer, which the compiler asks for.
 */
public enum ExperimentField {
  KEY(Access.IMMUTABLE, Resolution.IDENTITY, Check.KEY),
  NAME(Access.PATCHABLE, Resolution.PER_FIELD, Check.TEXT),
  HYPOTHESIS(Access.CLEARABLE, Resolution.PER_FIELD, Check.TEXT),
  DESCRIPTION(Access.CLEARABLE, Resolution.PER_FIELD, Check.TEXT),
  TYPE(Access.IMMUTABLE, Resolution.PER_FIELD, Check.EXPERIMENT_TYPE),
  LAYER(Access.IMMUTABLE, Resolution.PER_FIELD, Check.KEY),
  LAYER_SLOTS(Access.IMMUTABLE, Resolution.PER_FIELD, Check.SLOT_RANGE),
  TARGETING(Access.CLEARABLE, Resolution.PER_FIELD, Check.CONDITION),
  COVERAGE(Access.PATCHABLE, Resolution.PER_FIELD, Check.BASIS_POINTS),
  VARIANTS(Access.PATCHABLE, Resolution.PER_FIELD, Check.VARIANTS),
  METRICS(Access.PATCHABLE, Resolution.PER_FIELD, Check.METRICS),
  PRIMARY_METRIC(Access.CLEARABLE, Resolution.PER_FIELD, Check.KEY),
  /**
   * Metrics watched for harm ({@link Guardrail}); each names one of the metrics. They are the
   * running experiment's automatic kill switch, so once started only an admin changes them.
   */
  GUARDRAILS(Access.PATCHABLE, Resolution.PER_FIELD, Check.GUARDRAILS, true),
  ALPHA(Access.PATCHABLE, Resolution.PER_FIELD, Check.PROBABILITY),
  SAMPLE_SIZE_TARGET(Access.CLEARABLE, Resolution.PER_FIELD, Check.POSITIVE_COUNT),
  SEQUENTIAL(Access.PATCHABLE, Resolution.PER_FIELD, Check.SEQUENTIAL_METHOD),
  LOOKS(Access.CLEARABLE, Resolution.PER_FIELD, Check.LOOKS),
  /** Whether the global holdout is kept out: once started, only an admin changes it. */
  HOLDOUT(Access.PATCHABLE, Resolution.PER_FIELD, Check.BOOLEAN, true),
  /**
   * Whether a unit keeps its first variant through sticky weight changes: its assignment is stored
   * at first sight and wins over the hash while the unit is still in the experiment.
   */
  STICKY_BUCKETING(Access.PATCHABLE, Resolution.PER_FIELD, Check.BOOLEAN),
  OVERRIDES(Access.PATCHABLE, Resolution.PER_FIELD, Check.OVERRIDES),
  START_AT(Access.CLEARABLE, Resolution.PER_FIELD, Check.FUTURE_INSTANT),
  /** Ending is an admin's decision once the experiment runs, as concluding is. */
  END_AT(Access.CLEARABLE, Resolution.PER_FIELD, Check.FUTURE_INSTANT, true),
  /**
   * Scheduled coverage steps ({@link RampPlan}): the scheduler widens the coverage through them.
   */
  RAMP_PLAN(Access.CLEARABLE, Resolution.PER_FIELD, Check.RAMP_PLAN),
  /**
   * Where it runs ({@link Environments}): clearing it runs the experiment in every environment.
   * Once started, turning production on or off is an admin's decision, as a kill is.
   */
  ENVIRONMENTS(Access.CLEARABLE, Resolution.PER_FIELD, Check.ENVIRONMENTS, true),
  SALT(Access.SYSTEM, Resolution.PER_FIELD, Check.NONE),
  PHASE(Access.SYSTEM, Resolution.PER_FIELD, Check.NONE),
  STATUS(Access.SYSTEM, Resolution.STATUS, Check.NONE),
  /** The variant a conclude shipped: written with the status, so it resolves with it. */
  SHIPPED(Access.SYSTEM, Resolution.STATUS, Check.NONE),
  /** Hidden from the default list: set by {@code POST .../archive} on an ended experiment. */
  ARCHIVED(Access.SYSTEM, Resolution.PER_FIELD, Check.NONE),
  /**
   * Why the ramp stopped: set by a violated guardrail ({@link RampHalt}), cleared by a new plan.
   */
  RAMP_HALTED(Access.SYSTEM, Resolution.PER_FIELD, Check.NONE),
  VERSION(Access.SYSTEM, Resolution.DERIVED, Check.NONE),
  CREATED_AT(Access.SYSTEM, Resolution.PER_FIELD, Check.NONE),
  UPDATED_AT(Access.SYSTEM, Resolution.DERIVED, Check.NONE);

  /** Who writes a field, and when. */
  public enum Access {
    /** Given at creation (or defaulted), never changed: it would need a new allocation or kind. */
    IMMUTABLE,
    /** Given at creation or changed by a PATCH; never cleared. */
    PATCHABLE,
    /** As {@link #PATCHABLE}, and a PATCH may clear it with {@code null}. */
    CLEARABLE,
    /** Written by the system only; a request naming it is refused. */
    SYSTEM
  }

  /** How concurrent writes from different regions resolve (geo-replication's ConflictRules). */
  public enum Resolution {
    /** The entity's identity: the same in every replica. */
    IDENTITY,
    /** Each field on its own: the write with the later stamp wins. */
    PER_FIELD,
    /**
     * The lifecycle's own rule: the further state wins (a kill beats a resume); the shipped variant
     * travels with the status write that set it.
     */
    STATUS,
    /** Computed from the events folded: the count and the newest stamp. */
    DERIVED
  }

  /**
   * How the HTTP layer checks a request's value (its limits come from {@link DefinitionLimits}).
   */
  public enum Check {
    KEY,
    TEXT,
    EXPERIMENT_TYPE,
    SLOT_RANGE,
    CONDITION,
    BASIS_POINTS,
    VARIANTS,
    METRICS,
    GUARDRAILS,
    PROBABILITY,
    POSITIVE_COUNT,
    SEQUENTIAL_METHOD,
    LOOKS,
    BOOLEAN,
    OVERRIDES,
    FUTURE_INSTANT,
    RAMP_PLAN,
    ENVIRONMENTS,
    /** Not accepted from requests. */
    NONE
  }

  private static final ExperimentField[] ALL = values();
  private static final RecordComponent[] COMPONENTS = Experiment.class.getRecordComponents();
  private static final Constructor<Experiment> CANONICAL = canonical();

  private final Access access;
  private final Resolution resolution;
  private final Check check;
  private final boolean adminOnceStarted;
  private String jsonName;
  private JavaType javaType;

  static {
    if (COMPONENTS.length != ALL.length) {
      throw new ExceptionInInitializerError(
          "Experiment has " + COMPONENTS.length + " fields, ExperimentField " + ALL.length);
    }
    for (ExperimentField field : ALL) {
      RecordComponent component = COMPONENTS[field.ordinal()];
      if (!component.getName().equals(camelCase(field.name()))) {
        throw new ExceptionInInitializerError(
            field + " is not the record's field " + component.getName() + " at its position");
      }
      field.jsonName = component.getName();
      field.javaType = Json.mapper().constructType(component.getGenericType());
    }
  }

  ExperimentField(Access access, Resolution resolution, Check check) {
    this(access, resolution, check, false);
  }

  ExperimentField(Access access, Resolution resolution, Check check, boolean adminOnceStarted) {
    this.access = access;
    this.resolution = resolution;
    this.check = check;
    this.adminOnceStarted = adminOnceStarted;
  }

  @JsonValue
  public String jsonName() {
    return jsonName;
  }

  public Access access() {
    return access;
  }

  public Resolution resolution() {
    return resolution;
  }

  public Check check() {
    return check;
  }

  /** Whether, once the experiment has started, only an admin may change this field. */
  public boolean adminOnceStarted() {
    return adminOnceStarted;
  }

  /** Whether a create request may give this field (the key is required, the rest optional). */
  public boolean creatable() {
    return access != Access.SYSTEM;
  }

  /** Whether a PATCH may change this field. */
  public boolean patchable() {
    return access == Access.PATCHABLE || access == Access.CLEARABLE;
  }

  public boolean clearable() {
    return access == Access.CLEARABLE;
  }

  /** The field by its JSON name, or null for a name the experiment does not have. */
  @JsonCreator
  public static ExperimentField fromJson(String name) {
    for (ExperimentField field : ALL) {
      if (field.jsonName.equals(name)) {
        return field;
      }
    }
    return null;
  }

  /** Every field in the record's order. */
  public static List<ExperimentField> all() {
    return List.of(ALL);
  }

  /** The fields resolved each on its own when replicas write concurrently. */
  public static List<ExperimentField> perField() {
    return Arrays.stream(ALL).filter(f -> f.resolution == Resolution.PER_FIELD).toList();
  }

  /** This field's value in {@code experiment}. */
  public Object get(Experiment experiment) {
    try {
      return COMPONENTS[ordinal()].getAccessor().invoke(experiment);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("cannot read " + jsonName, e);
    }
  }

  /** A JSON value (the experiment's own JSON form of this field) as the record's type. */
  public Object decode(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return Json.mapper().convertValue(value, javaType);
  }

  /** {@code base} with the given fields replaced; a null value clears a field. */
  public static Experiment with(Experiment base, Map<ExperimentField, ?> values) {
    Object[] args = new Object[ALL.length];
    for (ExperimentField field : ALL) {
      args[field.ordinal()] =
          values.containsKey(field)
              ? values.get(field)
              : base == null ? field.defaultValue() : field.get(base);
    }
    try {
      return CANONICAL.newInstance(args);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Absent from a definition: null, or zero and false for the primitive fields. */
  private Object defaultValue() {
    Class<?> raw = javaType.getRawClass();
    if (raw == int.class) {
      return 0;
    }
    if (raw == long.class) {
      return 0L;
    }
    if (raw == double.class) {
      return 0.0;
    }
    if (raw == boolean.class) {
      return false;
    }
    return null;
  }

  private static Constructor<Experiment> canonical() {
    Class<?>[] types =
        Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new);
    try {
      return Experiment.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static String camelCase(String constant) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : constant.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? c : Character.toLowerCase(c));
        upper = false;
      }
    }
    return out.toString();
  }
}
