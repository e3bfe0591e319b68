package org.abtest.analytics.calculator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.function.Function;
import org.abtest.analytics.stats.Bandit;
import org.abtest.analytics.stats.BanditRequest;
import org.abtest.analytics.stats.Boundaries;
import org.abtest.analytics.stats.BoundariesRequest;
import org.abtest.analytics.stats.Budget;
import org.abtest.analytics.stats.MultipleTesting;
import org.abtest.analytics.stats.PowerCalculator;
import org.abtest.analytics.stats.PowerRequest;
import org.abtest.analytics.stats.PowerResult;
import org.apache.commons.math3.exception.util.ExceptionContextProvider;

/**
 * The calculator endpoints as JSON in, JSON out: strict binding of the bodies onto the engine's
 * request records (unknown fields and wrong types are errors naming the field) and every undefined
 * number written as {@code null}, never left out and never NaN.
 */
public final class CalculatorJson {

  /** What a caller may ask; one per endpoint of API.md "Analysis without an experiment". */
  public enum Operation {
    ANALYSIS,
    ADJUST,
    BOUNDARIES,
    BANDIT,
    POWER
  }

  record AdjustRequest(String method, List<Double> pValues) {}

  // Our own mapper rather than the shared one: the API's rule for the calculator is "undefined is
  // null", so nulls must be written, and a number given as a string is a client error here.
  private static final ObjectMapper STRICT =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .serializationInclusion(JsonInclude.Include.ALWAYS)
          .withCoercionConfig(
              LogicalType.Textual,
              c -> {
                c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
                c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
              })
          .build();

  private CalculatorJson() {}

  /** Runs one operation with the default limits and no deadline (tests, trusted callers). */
  public static JsonNode run(Operation operation, JsonNode body) {
    return run(operation, body, CalculatorLimits.defaults(), Budget.unlimited());
  }

  /**
   * Runs one operation; throws {@link InvalidInput} for anything the caller got wrong, including a
   * request over a limit or over the budget's step cap, and {@link Budget.Exceeded} (with {@code
   * outOfTime()}) when the budget's deadline passed or it was cancelled.
   */
  public static JsonNode run(
      Operation operation, JsonNode body, CalculatorLimits limits, Budget budget) {
    budget.check(); // a request that waited past its deadline is not started at all
    return switch (operation) {
      case ANALYSIS ->
          answer(
              body,
              AnalysisRequest.class,
              r -> AnalysisWire.analyze(within(limits, r), budget),
              "variants",
              budget);
      case ADJUST ->
          answer(body, AdjustRequest.class, r -> adjust(within(limits, r)), "pValues", budget);
      case BOUNDARIES ->
          answer(
              body, BoundariesRequest.class, r -> Boundaries.compute(r, budget), "looks", budget);
      case BANDIT ->
          answer(
              body,
              BanditRequest.class,
              r -> Bandit.compute(within(limits, r), budget),
              "arms",
              budget);
      case POWER -> answer(body, PowerRequest.class, CalculatorJson::power, null, budget);
    };
  }

  private static <T> JsonNode answer(
      JsonNode body, Class<T> type, Function<T, Object> engine, String costField, Budget budget) {
    T request = bind(body, type);
    Object result;
    try {
      result = engine.apply(request);
    } catch (Budget.Exceeded e) {
      if (e.outOfTime()) {
        throw e;
      }
      throw CalculatorErrors.tooCostly(costField);
    } catch (InvalidInput e) {
      throw e;
    } catch (RuntimeException e) {
      if (e instanceof ExceptionContextProvider) {
        throw CalculatorErrors.notComputable();
      }
      if (e instanceof IllegalArgumentException invalid) {
        throw InvalidInput.fromEngine(invalid);
      }
      throw e;
    }
    return withoutNonFinite(STRICT.valueToTree(result));
  }

  private static AnalysisRequest within(CalculatorLimits limits, AnalysisRequest r) {
    if (r.variants() != null && r.variants().size() > limits.maxVariants()) {
      throw CalculatorErrors.tooMany("variants", limits.maxVariants(), "variants");
    }
    if (r.weights() != null && r.weights().size() > limits.maxVariants()) {
      throw CalculatorErrors.tooMany("weights", limits.maxVariants(), "weights");
    }
    if (r.segments() != null && r.segments().size() > limits.maxSegments()) {
      throw CalculatorErrors.tooMany("segments", limits.maxSegments(), "segments");
    }
    return r;
  }

  private static BanditRequest within(CalculatorLimits limits, BanditRequest r) {
    if (r.arms() != null && r.arms().size() > limits.maxArms()) {
      throw CalculatorErrors.tooMany("arms", limits.maxArms(), "arms");
    }
    return r;
  }

  private static AdjustRequest within(CalculatorLimits limits, AdjustRequest r) {
    if (r.pValues() != null && r.pValues().size() > limits.maxPValues()) {
      throw CalculatorErrors.tooMany("pValues", limits.maxPValues(), "p-values");
    }
    return r;
  }

  static <T> T bind(JsonNode body, Class<T> type) {
    if (!(body instanceof ObjectNode)) {
      throw new InvalidInput("malformed_json", "the body must be a JSON object", null);
    }
    try {
      return STRICT.treeToValue(body, type);
    } catch (JsonMappingException e) {
      throw CalculatorErrors.binding(e);
    } catch (JsonProcessingException e) {
      throw new InvalidInput("malformed_json", "the body is not valid JSON", null);
    }
  }

  private static Object adjust(AdjustRequest r) {
    if (r.pValues() == null) {
      throw new InvalidInput("missing_field", "pValues is required", "pValues");
    }
    for (int i = 0; i < r.pValues().size(); i++) {
      Double p = r.pValues().get(i);
      if (p != null && !(p >= 0 && p <= 1)) {
        throw new InvalidInput(
            "out_of_range", "pValues[" + i + "] must be in [0, 1]", "pValues[" + i + "]");
      }
    }
    ObjectNode out = STRICT.createObjectNode();
    out.set("adjusted", STRICT.valueToTree(MultipleTesting.adjust(r.method(), r.pValues())));
    return out;
  }

  /** Only the quantity asked for: {@code nPerGroup} (and its unrounded value) or {@code mde}. */
  private static Object power(PowerRequest r) {
    PowerResult result = PowerCalculator.calculate(r);
    ObjectNode out = STRICT.createObjectNode();
    if (r.nPerGroup() == null) {
      out.put("nPerGroup", result.nPerGroup());
      out.put("nPerGroupExact", result.nPerGroupExact());
    } else {
      out.put("mde", result.mde());
    }
    return out;
  }

  /** The engine promises no NaN; this makes the promise hold at the boundary whatever happens. */
  private static JsonNode withoutNonFinite(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object
          .properties()
          .forEach(
              entry -> {
                JsonNode value = entry.getValue();
                if (value.isDouble() && !Double.isFinite(value.doubleValue())) {
                  object.putNull(entry.getKey());
                } else {
                  withoutNonFinite(value);
                }
              });
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode value = node.get(i);
        if (value.isDouble() && !Double.isFinite(value.doubleValue())) {
          ((ArrayNode) node).setNull(i);
        } else {
          withoutNonFinite(value);
        }
      }
    }
    return node;
  }
}
