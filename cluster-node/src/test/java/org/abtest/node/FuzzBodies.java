package org.abtest.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Request bodies for the fuzzer: a valid-ish document generated from the operation's schema, then
 * usually broken in one of the ways a stranger breaks them. Every choice comes from the seeded
 * {@link Random}, so a seed replays the same bodies.
 */
final class FuzzBodies {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> ATTRIBUTES = List.of("country", "platform", "age", "ua", "x");

  private final Random random;
  private final OpenApiOperations api;
  private final List<String> keys;

  FuzzBodies(Random random, OpenApiOperations api, List<String> keys) {
    this.random = random;
    this.api = api;
    this.keys = keys;
  }

  /** The body's bytes: a generated document, mutated three times in four. */
  byte[] body(JsonNode schema) {
    JsonNode valid = schema == null ? JSON.objectNode() : generate(schema, 0);
    if (random.nextInt(4) == 0) {
      return valid.toString().getBytes(StandardCharsets.UTF_8);
    }
    return mutate(valid);
  }

  private byte[] mutate(JsonNode valid) {
    String text = valid.toString();
    return switch (random.nextInt(14)) {
      case 0 -> new byte[0];
      case 1 -> text.substring(0, random.nextInt(Math.max(1, text.length()))).getBytes(UTF8);
      case 2 -> ("[".repeat(1000) + "]".repeat(1000)).getBytes(UTF8);
      case 3 -> nested(valid, 1000).getBytes(UTF8);
      case 4 -> replaceFirstString(text, "\\ud800").getBytes(UTF8);
      case 5 -> invalidUtf8(text);
      case 6 -> replaceFirstString(text, "a".repeat(1 << (10 + random.nextInt(11)))).getBytes(UTF8);
      case 7 -> withField(valid, "unknownField" + random.nextInt(9), JSON.textNode("?"));
      case 8 -> withField(valid, anyField(valid), JSON.nullNode());
      case 9 -> withField(valid, anyField(valid), wrongType());
      case 10 -> withField(valid, anyField(valid), JSON.textNode("é".repeat(5000)));
      case 11 -> "null".getBytes(UTF8);
      case 12 -> String.valueOf(random.nextLong()).getBytes(UTF8);
      default -> bigArray(valid);
    };
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private JsonNode generate(JsonNode node, int depth) {
    JsonNode schema = api.resolve(node);
    if (schema.has("enum")) {
      return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
    }
    String type = schema.path("type").asText(schema.has("properties") ? "object" : "");
    return switch (type) {
      case "object" -> object(schema, depth);
      case "array" -> array(schema, depth);
      case "integer" -> JSON.numberNode(random.nextInt(20_000) - 5_000);
      case "number" -> JSON.numberNode(random.nextDouble() * 100);
      case "boolean" -> JSON.booleanNode(random.nextBoolean());
      case "string" -> JSON.textNode(string(schema));
      default -> JSON.textNode(key());
    };
  }

  private ObjectNode object(JsonNode schema, int depth) {
    ObjectNode out = JSON.objectNode();
    if (depth > 4) {
      return out;
    }
    schema
        .path("properties")
        .properties()
        .forEach(
            p -> {
              if (random.nextInt(4) != 0 || isRequired(schema, p.getKey())) {
                out.set(p.getKey(), value(p.getKey(), p.getValue(), depth));
              }
            });
    if (schema.path("additionalProperties").isObject() && random.nextBoolean()) {
      out.put(ATTRIBUTES.get(random.nextInt(ATTRIBUTES.size())), key());
    }
    return out;
  }

  private JsonNode value(String name, JsonNode schema, int depth) {
    return switch (name) {
      case "unit" -> JSON.textNode("u-" + random.nextInt(500));
      case "ts" -> JSON.textNode(Instant.now().minusSeconds(random.nextInt(600)).toString());
      case "eventId" -> JSON.textNode("fz-" + random.nextLong());
      case "experiment", "key" -> JSON.textNode(key());
      default -> generate(schema, depth + 1);
    };
  }

  private static boolean isRequired(JsonNode schema, String name) {
    for (JsonNode r : schema.path("required")) {
      if (r.asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private ArrayNode array(JsonNode schema, int depth) {
    ArrayNode out = JSON.arrayNode();
    int n = depth > 4 ? 0 : random.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.add(generate(schema.path("items"), depth + 1));
    }
    return out;
  }

  private String string(JsonNode schema) {
    if ("date-time".equals(schema.path("format").asText())) {
      return Instant.now().toString();
    }
    return random.nextInt(3) == 0 ? "s" + random.nextInt(1000) : key();
  }

  /** A key the node knows or a made-up one; never the baseline experiment's. */
  String key() {
    return random.nextInt(3) == 0 ? "made-up-" + random.nextInt(100) : pick(keys);
  }

  private String pick(List<String> from) {
    return from.get(random.nextInt(from.size()));
  }

  private JsonNode wrongType() {
    return switch (random.nextInt(5)) {
      case 0 -> JSON.numberNode(1e308);
      case 1 -> JSON.arrayNode().add(1).add("two");
      case 2 -> JSON.objectNode().put("nested", true);
      case 3 -> JSON.booleanNode(false);
      default -> JSON.numberNode(new java.math.BigInteger("9".repeat(400)));
    };
  }

  private String anyField(JsonNode valid) {
    var names = valid.fieldNames();
    String last = "field";
    int skip = random.nextInt(Math.max(1, valid.size()));
    for (int i = 0; names.hasNext() && i <= skip; i++) {
      last = names.next();
    }
    return last;
  }

  private static byte[] withField(JsonNode valid, String name, JsonNode value) {
    ObjectNode out = valid.isObject() ? ((ObjectNode) valid).deepCopy() : JSON.objectNode();
    out.set(name, value);
    return out.toString().getBytes(UTF8);
  }

  private String nested(JsonNode valid, int depth) {
    String field = valid.isObject() ? anyField(valid) : "x";
    return "{\"" + field + "\":" + "{\"n\":".repeat(depth - 1) + "1" + "}".repeat(depth);
  }

  private String replaceFirstString(String text, String with) {
    int quote = text.indexOf(":\"");
    return quote < 0
        ? "{\"x\": \"" + with + "\"}"
        : text.substring(0, quote + 2) + with + text.substring(quote + 2);
  }

  private byte[] invalidUtf8(String text) {
    byte[] bytes = replaceFirstString(text, "@@").getBytes(UTF8);
    for (int i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] == '@' && bytes[i + 1] == '@') {
        bytes[i] = (byte) 0xC3;
        bytes[i + 1] = (byte) (random.nextBoolean() ? 0x28 : 0xFF);
        break;
      }
    }
    return bytes;
  }

  private byte[] bigArray(JsonNode valid) {
    ArrayNode many = JSON.arrayNode();
    for (int i = 0; i < 1500; i++) {
      many.add(valid);
    }
    return withField(valid, random.nextBoolean() ? "events" : anyField(valid), many);
  }
}
