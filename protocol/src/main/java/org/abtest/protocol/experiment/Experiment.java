package org.abtest.protocol.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.abtest.protocol.CborSerializable;

/**
 * An experiment as stored and as the admin API shows it (API.md, Experiments). The definition comes
 * from its creator; {@code salt}, {@code phase}, {@code status}, {@code version} and the times are
 * the system's. {@code salt} is always the current phase's salt.
 *
 * @param description what the experiment changes, for the people who read its results
 * @param layer the layer whose slots this experiment owns, or null (its own randomization only)
 * @param layerSlots the slot range owned in {@code layer}; null without a layer
 * @param targeting a condition in the operator language of DESIGN.md §3, or null (everyone)
 * @param overrides forced variants for listed unit ids (QA), unit id → variant key
 * @param holdout whether the global holdout's units are kept out of this experiment
 * @param stickyBucketing whether each unit keeps the first variant it was assigned through sticky
 *     weight changes (a stored assignment, {@link org.abtest.protocol.assignment.StickyBuckets})
 * @param guardrails metrics watched for harm while it runs ({@link Guardrail})
 * @param rampPlan coverage steps the system widens the running experiment through, or null
 * @param environments where it runs, environment key → setting ({@link Environments}), or null: in
 *     every environment as defined (so experiments created before environments existed)
 * @param shipped the variant a CONCLUDED experiment keeps serving to everyone it targets (as a
 *     flag), or null: set by the conclude that ended it ({@code {"ship": "green"}}), cleared by a
 *     later kill
 * @param archived whether an admin archived it (ended, hidden from the default list)
 * @param rampHalted why its ramp stopped advancing (a violated guardrail's evidence), or null: set
 *     by the system ({@link RampHalt}), cleared by a change of the ramp plan
 */
public record Experiment(
    String key,
    String name,
    String hypothesis,
    String description,
    ExperimentType type,
    String layer,
    SlotRange layerSlots,
    JsonNode targeting,
    int coverage,
    List<Variant> variants,
    List<MetricDefinition> metrics,
    String primaryMetric,
    List<Guardrail> guardrails,
    double alpha,
    Long sampleSizeTarget,
    SequentialMethod sequential,
    Integer looks,
    boolean holdout,
    boolean stickyBucketing,
    Map<String, String> overrides,
    Instant startAt,
    Instant endAt,
    RampPlan rampPlan,
    Map<String, EnvironmentSetting> environments,
    String salt,
    int phase,
    ExperimentStatus status,
    String shipped,
    boolean archived,
    String rampHalted,
    long version,
    Instant createdAt,
    Instant updatedAt)
    implements CborSerializable {

  public static final double DEFAULT_ALPHA = 0.05;

  public Experiment {
    // JSON and CBOR read a null JsonNode field back as NullNode; "no targeting" is always null.
    targeting = targeting == null || targeting.isNull() ? null : targeting;
    type = type == null ? ExperimentType.EXPERIMENT : type;
    variants = List.copyOf(variants);
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    guardrails = guardrails == null ? List.of() : List.copyOf(guardrails);
    overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
    environments =
        environments == null ? null : Collections.unmodifiableMap(new TreeMap<>(environments));
    sequential = sequential == null ? SequentialMethod.NONE : sequential;
    alpha = alpha == 0 ? DEFAULT_ALPHA : alpha;
  }

  /** The minimal definition: key, name and variants; everything else at its default. */
  public static Experiment draft(String key, String name, int coverage, List<Variant> variants) {
    return ExperimentField.with(
        null,
        Map.of(
            ExperimentField.KEY, key,
            ExperimentField.NAME, name,
            ExperimentField.COVERAGE, coverage,
            ExperimentField.VARIANTS, variants,
            ExperimentField.STATUS, ExperimentStatus.DRAFT));
  }

  /** The same definition with the system's fields set: salt, phase 1, DRAFT, version 1. */
  public Experiment asCreated(String newSalt, Instant at) {
    return ExperimentField.with(
        this,
        Map.of(
            ExperimentField.SALT,
            newSalt,
            ExperimentField.PHASE,
            1,
            ExperimentField.STATUS,
            ExperimentStatus.DRAFT,
            ExperimentField.VERSION,
            1L,
            ExperimentField.CREATED_AT,
            at,
            ExperimentField.UPDATED_AT,
            at));
  }

  public Experiment withStatus(ExperimentStatus newStatus, Instant at) {
    return ExperimentField.with(
        this,
        Map.of(
            ExperimentField.STATUS, newStatus,
            ExperimentField.VERSION, version + 1,
            ExperimentField.UPDATED_AT, at));
  }

  /**
   * The variant this experiment serves to everyone it targets: the shipped one while it is
   * CONCLUDED, else empty (a kill after the conclude takes it back).
   */
  public Optional<Variant> shippedVariant() {
    if (status != ExperimentStatus.CONCLUDED || shipped == null) {
      return Optional.empty();
    }
    return variants.stream().filter(v -> v.key().equals(shipped)).findFirst();
  }

  /** The same experiment with the given fields replaced; a null value clears a field. */
  public Experiment with(Map<ExperimentField, ?> values) {
    return ExperimentField.with(this, values);
  }
}
