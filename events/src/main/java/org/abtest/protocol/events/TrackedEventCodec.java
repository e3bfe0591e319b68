package org.abtest.protocol.events;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.abtest.protocol.Json;

/**
 * The Kafka payload of a {@link TrackedEvent}: the same JSON as {@code Json.mapper()} writes and
 * reads for the record, done with the streaming API. Every event goes through here twice (written
 * by the API, read by its partition's actor), and data binding with its time module cost the node
 * more than aggregation itself. Reading takes the shape this writer produces by the fast path; any
 * other shape (an unknown field, a number where a string belongs) goes to the data binder, so what
 * a record means, and which records are unreadable, does not change.
 */
public final class TrackedEventCodec {

  private TrackedEventCodec() {}

  /**
   * UTF-8 of the JSON text, byte for byte what {@code Json.mapper().writeValueAsString} and Kafka's
   * {@code StringSerializer} made before (a lone surrogate becomes '?', as it did then; Jackson's
   * own UTF-8 output would escape it, and change the unit it names).
   */
  public static byte[] write(TrackedEvent event) {
    byte[] fast = plainAscii(event);
    return fast != null ? fast : viaGenerator(event);
  }

  /**
   * The common case by hand: no attributes, every text printable ASCII without quotes or
   * backslashes (so nothing to escape), a finite value. Null for anything else.
   */
  private static byte[] plainAscii(TrackedEvent event) {
    if (event.attributes() != null
        || event.environment() != null
        || (event.value() != null && !Double.isFinite(event.value()))) {
      return null;
    }
    String[] names = {"eventId", "type", "unit", "experiment", "variant", "event"};
    String[] texts = {
      event.eventId(),
      event.type(),
      event.unit(),
      event.experiment(),
      event.variant(),
      event.event()
    };
    // As the generator writes them: Double.toString, and ISO_INSTANT for the time.
    String value = event.value() == null ? null : Double.toString(event.value());
    String ts = event.ts() == null ? null : InstantText.format(event.ts());
    int size = 2 + (value == null ? 0 : 10 + value.length()) + (ts == null ? 0 : 8 + ts.length());
    for (int i = 0; i < texts.length; i++) {
      if (texts[i] != null) {
        if (!plain(texts[i])) {
          return null;
        }
        size += names[i].length() + texts[i].length() + 6;
      }
    }
    byte[] out = new byte[size];
    int at = 0;
    out[at++] = '{';
    for (int i = 0; i < texts.length; i++) {
      if (texts[i] != null) {
        at = name(out, at, names[i]);
        at = quoted(out, at, texts[i]);
      }
    }
    if (value != null) {
      at = name(out, at, "value");
      at = ascii(out, at, value);
    }
    if (ts != null) {
      at = name(out, at, "ts");
      at = quoted(out, at, ts);
    }
    out[at++] = '}';
    return at == out.length ? out : Arrays.copyOf(out, at);
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** {@code ,"name":} (no comma after the opening brace). */
  private static int name(byte[] out, int at, String name) {
    if (at > 1) {
      out[at++] = ',';
    }
    at = quoted(out, at, name);
    out[at++] = ':';
    return at;
  }

  private static int quoted(byte[] out, int at, String text) {
    out[at++] = '"';
    at = ascii(out, at, text);
    out[at++] = '"';
    return at;
  }

  private static int ascii(byte[] out, int at, String text) {
    for (int i = 0; i < text.length(); i++) {
      out[at++] = (byte) text.charAt(i);
    }
    return at;
  }

  private static byte[] viaGenerator(TrackedEvent event) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator g = Json.mapper().createGenerator(out)) {
      g.writeStartObject();
      field(g, "eventId", event.eventId());
      field(g, "type", event.type());
      field(g, "unit", event.unit());
      field(g, "experiment", event.experiment());
      field(g, "variant", event.variant());
      field(g, "event", event.event());
      if (event.value() != null) {
        g.writeNumberField("value", event.value());
      }
      if (event.ts() != null) {
        g.writeStringField("ts", event.ts().toString());
      }
      if (event.attributes() != null) {
        g.writeFieldName("attributes");
        g.writeTree(event.attributes());
      }
      field(g, "environment", event.environment());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("event cannot be written as JSON", e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @throws IOException when the bytes are not a tracked event (as the data binder says)
   */
  public static TrackedEvent read(byte[] json) throws IOException {
    TrackedEvent plain = PlainReader.read(json);
    if (plain != null) {
      return plain;
    }
    TrackedEvent fast;
    try (JsonParser p = Json.mapper().createParser(json)) {
      fast = fastPath(p);
    } catch (IOException | RuntimeException e) {
      fast = null;
    }
    return fast != null ? fast : Json.mapper().readValue(json, TrackedEvent.class);
  }

  private static TrackedEvent fastPath(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    String eventId = null;
    String type = null;
    String unit = null;
    String experiment = null;
    String variant = null;
    String event = null;
    Double value = null;
    Instant ts = null;
    JsonNode attributes = null;
    String environment = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonToken token = p.nextToken();
      switch (name) {
        case "eventId" -> eventId = text(p, token);
        case "type" -> type = text(p, token);
        case "unit" -> unit = text(p, token);
        case "experiment" -> experiment = text(p, token);
        case "variant" -> variant = text(p, token);
        case "event" -> event = text(p, token);
        case "value" -> {
          if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            value = p.getDoubleValue();
          } else if (token != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "ts" -> {
          if (token == JsonToken.VALUE_STRING) {
            ts = InstantText.parse(p.getText());
          } else if (token != JsonToken.VALUE_NULL) {
            return null;
          }
        }
        case "attributes" -> {
          // The binder gives a JSON null as NullNode, not as a missing value.
          attributes = token == JsonToken.VALUE_NULL ? NullNode.getInstance() : p.readValueAsTree();
        }
        case "environment" -> environment = text(p, token);
        default -> {
          return null;
        }
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      return null;
    }
    return new TrackedEvent(
        eventId, type, unit, experiment, variant, event, value, ts, attributes, environment);
  }

  /** A string field's text; the sentinel exception sends any other token to the data binder. */
  private static String text(JsonParser p, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (token == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new NotFastPath();
  }

  private static final class NotFastPath extends RuntimeException {
    NotFastPath() {
      super(null, null, false, false);
    }
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }
}
