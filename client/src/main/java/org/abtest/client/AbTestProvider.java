package org.abtest.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.ImmutableMetadata;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.assignment.FlagKey;

/**
 * An OpenFeature provider backed by an {@link AbTest} (the {@link AbTestClient}, or a {@link
 * FakeAbTest} in tests): {@code OpenFeatureAPI.getInstance().setProvider(new
 * AbTestProvider(client))} is the one line.
 *
 * <p>The evaluation context's targeting key is the unit, its other attributes the targeting
 * attributes. A flag key is {@code experiment} or {@code experiment/path} ({@link FlagKey}). With a
 * path every evaluation reads the variant's config there ({@code checkout/label} reads {@code
 * label}, {@code checkout/a/b} reads {@code a.b}). Without one a string evaluation answers the
 * variant key, the others the config field {@code value}, and a boolean evaluation of a variant
 * without {@code value} is true (the unit is in the flag), as {@link AbTest#isEnabled}.
 *
 * <p>Reasons ({@link Evaluation.Outcome#reason}, as the OFREP endpoints give them): TARGETING_MATCH
 * for a unit in by an override or a targeting condition, SPLIT for one in by its bucket alone,
 * DEFAULT (the caller's default) for one that is not in, or whose variant's config has nothing at
 * the path. Errors (the caller's default, reason ERROR): FLAG_NOT_FOUND for an experiment the
 * manifest does not list live, TYPE_MISMATCH for a config value of another type, PARSE_ERROR for an
 * experiment the client could not compile, PROVIDER_NOT_READY before the first manifest,
 * TARGETING_KEY_MISSING without a unit, GENERAL otherwise. Flag metadata: {@code experiment},
 * {@code outcome} (the check that decided, lower case), {@code variant} when the unit is in, {@code
 * configPath} with a path. docs/client.md has the table. With an obfuscated SDK key the variant key
 * (answered, and in the metadata) is its keyed hash; configs are unaffected.
 */
public final class AbTestProvider implements FeatureProvider {

  /** A requested type: its name in messages and how a config value is read as it (null: not). */
  private record Kind<T>(String name, Function<JsonNode, T> read) {}

  private static final Kind<String> STRING =
      new Kind<>("a string", n -> n.isTextual() ? n.asText() : null);
  private static final Kind<Boolean> BOOLEAN =
      new Kind<>("a boolean", n -> n.isBoolean() ? n.asBoolean() : null);
  private static final Kind<Integer> INTEGER =
      new Kind<>(
          "an integer that fits an int",
          n -> n.isIntegralNumber() && n.canConvertToInt() ? n.asInt() : null);
  private static final Kind<Double> DOUBLE =
      new Kind<>("a number", n -> n.isNumber() ? n.asDouble() : null);
  private static final Kind<Value> OBJECT =
      new Kind<>(
          "an object or an array",
          n -> n.isObject() || n.isArray() ? AbTestProvider.value(n) : null);

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
    return evaluate(key, defaultValue, ctx, STRING);
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(
      String key, Boolean defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, BOOLEAN);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(
      String key, Integer defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, INTEGER);
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(
      String key, Double defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, DOUBLE);
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(
      String key, Value defaultValue, EvaluationContext ctx) {
    return evaluate(key, defaultValue, ctx, OBJECT);
  }

  @Override
  public void shutdown() {
    client.close();
  }

  private <T> ProviderEvaluation<T> evaluate(
      String key, T defaultValue, EvaluationContext ctx, Kind<T> kind) {
    String unit = ctx == null ? null : ctx.getTargetingKey();
    if (unit == null || unit.isEmpty()) {
      return error(
          defaultValue, ErrorCode.TARGETING_KEY_MISSING, "no targeting key (unit id)", null);
    }
    FlagKey flag = key == null ? null : FlagKey.parse(key);
    if (flag == null) {
      return error(defaultValue, ErrorCode.GENERAL, "flag key " + key + " has an empty path", null);
    }
    if (!client.ready()) {
      return error(defaultValue, ErrorCode.PROVIDER_NOT_READY, "no manifest yet", null);
    }
    Evaluation e;
    try {
      e = client.evaluation(unit, flag.experiment(), Json.mapper().valueToTree(ctx.asObjectMap()));
    } catch (RuntimeException ex) {
      return error(defaultValue, ErrorCode.GENERAL, "evaluation failed: " + ex, null);
    }
    ImmutableMetadata metadata = metadata(flag, e);
    Evaluation.Outcome outcome = e.outcome();
    if (outcome.errorCode() != null) {
      return error(
          defaultValue,
          ErrorCode.valueOf(outcome.errorCode()),
          outcome.problem(flag.experiment()),
          metadata);
    }
    if (!outcome.assigned()) {
      return answer(defaultValue, null, Reason.DEFAULT, metadata);
    }
    return resolve(
        flag, e.assignment(), defaultValue, kind, Reason.valueOf(outcome.reason()), metadata);
  }

  /** The value for a unit that is in the experiment, read from its variant as the key says. */
  private static <T> ProviderEvaluation<T> resolve(
      FlagKey flag,
      Assignment a,
      T defaultValue,
      Kind<T> kind,
      Reason reason,
      ImmutableMetadata metadata) {
    JsonNode node;
    String where;
    if (!flag.path().isEmpty()) {
      where = flag.pathText();
      FlagKey.Lookup found = flag.lookup(a.config());
      if (found instanceof FlagKey.Missing) {
        return answer(defaultValue, null, Reason.DEFAULT, metadata);
      }
      if (found instanceof FlagKey.Blocked blocked) {
        return error(
            defaultValue,
            ErrorCode.TYPE_MISMATCH,
            mismatch(flag, a, blocked.at(), blocked.value(), "an object"),
            metadata);
      }
      node = ((FlagKey.Found) found).value();
    } else if (kind == STRING) {
      return answer(kind.read().apply(textNode(a.variant())), a.variant(), reason, metadata);
    } else {
      where = "value";
      node = a.config() == null ? null : a.config().get("value");
      if (node == null || node.isNull()) {
        if (kind != BOOLEAN) {
          return answer(defaultValue, null, Reason.DEFAULT, metadata);
        }
        // a flag's variant without a value is on: the unit is in the flag (AbTest#isEnabled)
        node = Json.mapper().getNodeFactory().booleanNode(true);
      }
    }
    T value = kind.read().apply(node);
    if (value == null) {
      return error(
          defaultValue,
          ErrorCode.TYPE_MISMATCH,
          mismatch(flag, a, where, node, kind.name()),
          metadata);
    }
    return answer(value, a.variant(), reason, metadata);
  }

  private static String mismatch(
      FlagKey flag, Assignment a, String at, JsonNode found, String wanted) {
    return "config of variant "
        + a.variant()
        + " in "
        + flag.experiment()
        + " has "
        + describe(found)
        + " at "
        + at
        + ", not "
        + wanted;
  }

  private static String describe(JsonNode n) {
    if (n.isIntegralNumber()) {
      return n.canConvertToInt() ? "an integer" : "an integer beyond int";
    }
    if (n.isNumber()) {
      return "a decimal number";
    }
    return switch (n.getNodeType()) {
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case OBJECT -> "an object";
      case ARRAY -> "an array";
      default -> n.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static ImmutableMetadata metadata(FlagKey flag, Evaluation e) {
    ImmutableMetadata.ImmutableMetadataBuilder m = ImmutableMetadata.builder();
    flag.metadata(e).forEach(m::addString);
    return m.build();
  }

  private static <T> ProviderEvaluation<T> answer(
      T value, String variant, Reason reason, ImmutableMetadata metadata) {
    return ProviderEvaluation.<T>builder()
        .value(value)
        .variant(variant)
        .reason(reason.name())
        .flagMetadata(metadata)
        .build();
  }

  private static <T> ProviderEvaluation<T> error(
      T defaultValue, ErrorCode code, String message, ImmutableMetadata metadata) {
    return ProviderEvaluation.<T>builder()
        .value(defaultValue)
        .reason(Reason.ERROR.name())
        .errorCode(code)
        .errorMessage(message)
        .flagMetadata(metadata == null ? ImmutableMetadata.builder().build() : metadata)
        .build();
  }

  private static JsonNode textNode(String text) {
    return Json.mapper().getNodeFactory().textNode(text);
  }

  /**
   * A config value as an OpenFeature value: objects, arrays and primitives, numbers int or double.
   */
  static Value value(JsonNode n) {
    if (n.isObject()) {
      Map<String, Value> fields = new LinkedHashMap<>();
      n.properties().forEach(f -> fields.put(f.getKey(), value(f.getValue())));
      return new Value(new ImmutableStructure(fields));
    }
    if (n.isArray()) {
      List<Value> items = new ArrayList<>(n.size());
      n.forEach(item -> items.add(value(item)));
      return new Value(items);
    }
    if (n.isTextual()) {
      return new Value(n.asText());
    }
    if (n.isBoolean()) {
      return new Value(n.asBoolean());
    }
    if (n.isIntegralNumber() && n.canConvertToInt()) {
      return new Value(n.asInt());
    }
    if (n.isNumber()) {
      return new Value(n.asDouble());
    }
    return new Value();
  }
}
