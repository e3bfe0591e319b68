package org.abtest.http.ports;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * Whether an exposure is one the platform itself would give: its variant must be the unit's variant
 * in the experiment's current phase by the node's own evaluation (bucket and coverage, layer,
 * holdout, the experiment's overrides; targeting only when the exposure carries attributes).
 * Anything else would let a caller move units between variants, so it is refused.
 */
public interface ExposureCheck {

  /** What the check found. */
  sealed interface Verdict permits Valid, Refused, Pending {}

  /**
   * Not judged yet: what judging needs (a unit's stored sticky variants) is being read. The caller
   * checks again, with {@code mayWait} false, once {@code ready} completes (it never fails, and
   * completes within the store's read timeout).
   */
  record Pending(CompletionStage<Void> ready) implements Verdict {}

  /**
   * The exposure counts, with the experiment and variant by their canonical keys (a caller may name
   * them otherwise, e.g. hashed, in a later version of the API).
   */
  record Valid(String experiment, String variant) implements Verdict {}

  /** Why not, as the code and field of the rejection. */
  enum Refused implements Verdict {
    /**
     * Not live in the current manifest (never created, paused, concluded, shipped or killed), nor
     * when the exposure was made.
     */
    UNKNOWN_EXPERIMENT("unknown_experiment", "experiment"),
    /** The unit is in another variant, or in none. */
    INVALID_VARIANT("invalid_variant", "variant");

    private final String code;
    private final String field;

    Refused(String code, String field) {
      this.code = code;
      this.field = field;
    }

    public String code() {
      return code;
    }

    public String field() {
      return field;
    }
  }

  /**
   * @param attributes the exposure's attributes, or null when it carries none
   * @param ts when the exposure was made: one made before its experiment was paused, concluded or
   *     killed is judged as the experiment stood then (for a bounded grace after the change)
   */
  Verdict check(String experiment, String variant, String unit, JsonNode attributes, Instant ts);

  /**
   * As above, against the manifest of {@code environment} (the sending SDK key's): an experiment
   * not enabled there is unknown, and coverage is that environment's. A check that knows no
   * environments judges every one alike.
   */
  default Verdict check(
      String environment,
      String experiment,
      String variant,
      String unit,
      JsonNode attributes,
      Instant ts) {
    return check(experiment, variant, unit, attributes, ts);
  }

  /**
   * As above; with {@code mayWait} true the check may answer {@link Pending} instead of refusing an
   * exposure that a unit's stored variant could make valid, and with false it judges with what it
   * has (never {@link Pending}).
   */
  default Verdict check(
      String environment,
      String experiment,
      String variant,
      String unit,
      JsonNode attributes,
      Instant ts,
      boolean mayWait) {
    return check(environment, experiment, variant, unit, attributes, ts);
  }
}
