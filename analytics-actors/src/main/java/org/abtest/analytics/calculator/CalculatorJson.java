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
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.List;
import java.util.function.Function;
import org.abtest.analytics.stats.AnalysisEngine;
import org.abtest.analytics.stats.AnalysisRequest;
import org.abtest.analytics.stats.Bandit;
import org.abtest.analytics.stats.BanditRequest;
import org.abtest.analytics.stats.Boundaries;
import org.abtest.analytics.stats.BoundariesRequest;
import org.abtest.analytics.stats.MultipleTesting;
import org.abtest.analytics.stats.PowerCalculator;
import org.abtest.analytics.stats.PowerRequest;
import org.abtest.analytics.stats.PowerResult;

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

  /** Runs one operation; throws {@link InvalidInput} for anything the caller got wrong. */
  public static JsonNode run(Operation operation, JsonNode body) {
    return switch (operation) {
      case ANALYSIS -> answer(body, AnalysisRequest.class, AnalysisEngine::analyze);
      case ADJUST -> answer(body, AdjustRequest.class, CalculatorJson::adjust);
      case BOUNDARIES -> answer(body, BoundariesRequest.class, Boundaries::compute);
      case BANDIT -> answer(body, BanditRequest.class, Bandit::compute);
      case POWER -> answer(body, PowerRequest.class, CalculatorJson::power);
    };
  }

  private static <T> JsonNode answer(JsonNode body, Class<T> type, Function<T, Object> engine) {
    T request = bind(body, type);
    Object result;
    try {
      result = engine.apply(request);
    } catch (InvalidInput e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw InvalidInput.fromEngine(e);
    }
    return withoutNonFinite(STRICT.valueToTree(result));
  }

  static <T> T bind(JsonNode body, Class<T> type) {
    if (!(body instanceof ObjectNode)) {
      throw new InvalidInput("malformed_json", "the body must be a JSON object", null);
    }
    try {
      return STRICT.treeToValue(body, type);
    } catch (UnrecognizedPropertyException e) {
      return fail("unknown_field", "unknown field " + e.getPropertyName(), e);
    } catch (JsonMappingException e) {
      return fail("invalid_type", "wrong type: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new InvalidInput("malformed_json", e.getOriginalMessage(), null);
    }
  }

  private static <T> T fail(String code, String message, JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    String field = path.isEmpty() ? null : path.toString();
    throw new InvalidInput(code, field == null ? message : field + ": " + message, field);
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
          ((com.fasterxml.jackson.databind.node.ArrayNode) node).setNull(i);
        } else {
          withoutNonFinite(value);
        }
      }
    }
    return node;
  }
}
