package org.abtest.protocol.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * A compiled targeting condition: immutable, thread-safe, and cheap to evaluate. Build it once per
 * manifest with {@link Conditions}, then call {@link #matches} per request. Matching parses no
 * paths and compiles no regexes; equality, ordering, set and saved-group tests allocate nothing for
 * scalar attributes, and neither do version operators on string attributes. Only regex and
 * case-insensitive operators (and coercing a number, array or object to text) build a short-lived
 * string or matcher per call.
 */
public final class Condition {

  /** The empty condition {@code {}}: everybody matches (an experiment with no targeting). */
  public static final Condition ALWAYS =
      new Condition(ValueTest.ALWAYS, JsonNodeFactory.instance.objectNode());

  private final ValueTest test;
  private final JsonNode source;

  Condition(ValueTest test, JsonNode source) {
    this.test = test;
    this.source = source;
  }

  /**
   * Whether a unit with these attributes is targeted.
   *
   * @param attributes the unit's attributes as a JSON object; null or missing counts as no
   *     attributes at all
   */
  public boolean matches(JsonNode attributes) {
    if (attributes == null || attributes.isMissingNode()) {
      return test.test(NullNode.getInstance());
    }
    return test.test(attributes);
  }

  /** The condition JSON this was compiled from (a deep copy; mutating it changes nothing). */
  public JsonNode source() {
    return source.deepCopy();
  }

  @Override
  public String toString() {
    return "Condition" + source;
  }
}
