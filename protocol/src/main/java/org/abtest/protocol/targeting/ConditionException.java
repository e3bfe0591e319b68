package org.abtest.protocol.targeting;

/**
 * A targeting condition that cannot be compiled: an unknown operator or a malformed operand. Thrown
 * at compile time only (never while matching), so the admin API can answer 400 with {@link
 * #field()} pointing at the offending part, e.g. {@code targeting.country.$in}.
 */
public final class ConditionException extends IllegalArgumentException {

  private final String field;
  private final String reason;

  public ConditionException(String field, String reason) {
    super(field + ": " + reason);
    this.field = field;
    this.reason = reason;
  }

  /** A JSON-path-like pointer to the offending part, e.g. {@code targeting.$or[1].age.$gt}. */
  public String field() {
    return field;
  }

  /** What is wrong, without the field. */
  public String reason() {
    return reason;
  }
}
