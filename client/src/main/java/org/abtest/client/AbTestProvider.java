package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.Optional;
import java.util.function.Function;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;

/**
 * An OpenFeature provider backed by an {@link AbTest} (the {@link AbTestClient}, or a {@link
 * FakeAbTest} in tests): {@code OpenFeatureAPI.getInstance().setProvider(new
 * AbTestProvider(client))} is the one line.
 *
 * <p>A flag key names an experiment or flag; the evaluation context's targeting key is the unit and
 * its other attributes are the targeting attributes. A string evaluation answers the variant key.
 * Typed evaluations read the variant's config: {@code "exp"} reads the config field {@code value},
 * {@code "exp/field"} reads {@code field}. A boolean evaluation of a variant with no such field is
 * true (the unit is in the flag). Reasons: TARGETING_MATCH when the unit is assigned, DEFAULT when
 * not, ERROR (with a code) for a missing targeting key or a config value of the wrong type. With an
 * obfuscated SDK key the variant key answered (and the evaluation's variant) is its keyed hash;
 * typed evaluations of configs are unaffected.
 */
public final class AbTestProvider implements FeatureProvider {

  private final AbTest client;

  public AbTestProvider(AbTest client) {
    this.client = client;
  }

  @Override
  public Metadata getMetadata() {
    return () -> "abtest";
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(
      String key, String defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, true, n -> n.isTextual() ? n.asText() : null);
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, false, n -> n.isBoolean() ? n.asBoolean() : null);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        false,
        n -> n.canConvertToInt() && n.isIntegralNumber() ? n.asInt() : null);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, false, n -> n.isNumber() ? n.asDouble() : null);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return evaluate(
        key,
        defaultValue,
        ctx,
        false,
        n -> Value.objectToValue(Json.mapper().convertValue(n, Object.class)));
  }

  @Override
  public void shutdown() {
    client.close();
  }

  private <T> ProviderEvaluation<T> evaluate(
      String key,
      T defaultValue,
      EvaluationContext ctx,
      boolean variantKey,
      Function<JsonNode, T> read) {
    String unit = ctx == null ? null : ctx.getTargetingKey();
    if (unit == null || unit.isEmpty()) {
      return error(defaultValue, ErrorCode.TARGETING_KEY_MISSING, "no targeting key (unit id)");
    }
    int slash = key.indexOf('/');
    String experiment = slash < 0 ? key : key.substring(0, slash);
    String field = slash < 0 ? "value" : key.substring(slash + 1);
    JsonNode attributes = Json.mapper().valueToTree(ctx.asObjectMap());
    Optional<Assignment> assigned = client.assignment(unit, experiment, attributes);
    if (assigned.isEmpty()) {
      return ProviderEvaluation.<T>builder()
          .value(defaultValue)
          .reason(Reason.DEFAULT.name())
          .build();
    }
    Assignment a = assigned.get();
    T value;
    if (variantKey) {
      value = read.apply(Json.mapper().getNodeFactory().textNode(a.variant()));
    } else {
      JsonNode node = a.config() == null ? null : a.config().get(field);
      if (node == null && defaultValue instanceof Boolean) {
        @SuppressWarnings("unchecked")
        T in = (T) Boolean.TRUE;
        value = in;
      } else {
        value = node == null ? null : read.apply(node);
      }
    }
    if (value == null) {
      return error(
          defaultValue,
          ErrorCode.TYPE_MISMATCH,
          "variant " + a.variant() + " has no config field " + field + " of the requested type");
    }
    return ProviderEvaluation.<T>builder()
        .value(value)
        .variant(a.variant())
        .reason(Reason.TARGETING_MATCH.name())
        .build();
  }

  private static <T> ProviderEvaluation<T> error(T defaultValue, ErrorCode code, String message) {
    return ProviderEvaluation.<T>builder()
        .value(defaultValue)
        .reason(Reason.ERROR.name())
        .errorCode(code)
        .errorMessage(message)
        .build();
  }
}
