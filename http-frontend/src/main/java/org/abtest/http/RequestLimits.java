package org.abtest.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.http.javadsl.model.AttributeKey;

/**
 * What one request body may cost, read once from {@code abtest.http.limits} (defaults and {@code
 * ABTEST_HTTP_*} overrides in this module's {@code reference.conf}).
 *
 * @param bodyBytes largest body of the admin, token and analysis routes
 * @param assignmentBodyBytes largest body of {@code /v1/assignments}
 * @param eventBodyBytes largest body of {@code /v1/events}
 * @param jsonDepth deepest nesting of objects and arrays in a tree-parsed body
 * @param stringChars longest string value or field name in a tree-parsed body
 * @param objectFields most fields in any one object of a tree-parsed body
 */
public record RequestLimits(
    long bodyBytes,
    long assignmentBodyBytes,
    long eventBodyBytes,
    int jsonDepth,
    int stringChars,
    int objectFields) {

  /** How {@link ApiRoutes} hands the limits to the directives that parse bodies. */
  public static final AttributeKey<RequestLimits> ATTRIBUTE =
      AttributeKey.create("abtest-request-limits", RequestLimits.class);

  private static final RequestLimits DEFAULTS = fromConfig(ConfigFactory.defaultReference());

  public RequestLimits {
    if (bodyBytes < 1 || assignmentBodyBytes < 1 || eventBodyBytes < 1) {
      throw new IllegalArgumentException("abtest.http.limits: body sizes must be positive");
    }
    if (jsonDepth < 1 || stringChars < 1 || objectFields < 1) {
      throw new IllegalArgumentException("abtest.http.limits: JSON limits must be positive");
    }
  }

  /** From a config holding {@code abtest.http.limits}. */
  public static RequestLimits fromConfig(Config config) {
    Config c = config.getConfig("abtest.http.limits");
    return new RequestLimits(
        c.getBytes("body-bytes"),
        c.getBytes("assignment-body-bytes"),
        c.getBytes("event-body-bytes"),
        c.getInt("json-depth"),
        c.getInt("string-chars"),
        c.getInt("object-fields"));
  }

  /** The values of {@code reference.conf}, for code that parses a body outside any route. */
  public static RequestLimits defaults() {
    return DEFAULTS;
  }
}
