package org.abtest.http.routes;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.abtest.http.ports.AssignmentService.Result;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * Writes an assignment answer field by field, byte-for-byte what {@code Json.mapper()} writes for
 * the {@link Result} record (the tests compare them), without the per-request reflection of record
 * serialization: this is the hottest response of the API.
 */
final class AssignmentJson {

  private static final SerializedString UNIT = new SerializedString("unit");
  private static final SerializedString VERSION = new SerializedString("manifestVersion");
  private static final SerializedString ASSIGNMENTS = new SerializedString("assignments");
  private static final SerializedString EXPERIMENT = new SerializedString("experiment");
  private static final SerializedString VARIANT = new SerializedString("variant");
  private static final SerializedString CONFIG = new SerializedString("config");
  private static final SerializedString SHIPPED = new SerializedString("shipped");

  private AssignmentJson() {}

  static HttpResponse response(Result result) {
    return HttpResponse.create().withEntity(ContentTypes.APPLICATION_JSON, write(result));
  }

  static byte[] write(Result result) {
    ByteArrayBuilder out = new ByteArrayBuilder(256 + 48 * result.assignments().size());
    try (JsonGenerator json = Json.mapper().createGenerator(out)) {
      json.writeStartObject();
      if (result.unit() != null) {
        json.writeFieldName(UNIT);
        json.writeString(result.unit());
      }
      json.writeFieldName(VERSION);
      json.writeNumber(result.manifestVersion());
      if (result.assignments() != null) {
        json.writeFieldName(ASSIGNMENTS);
        json.writeStartArray();
        // One provider for the whole answer: writeTree would set one up per config.
        SerializerProvider provider = Json.mapper().getSerializerProviderInstance();
        for (Assignment a : result.assignments()) {
          write(json, provider, a);
        }
        json.writeEndArray();
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("an assignment cannot be written as JSON", e);
    }
    return out.toByteArray();
  }

  private static void write(JsonGenerator json, SerializerProvider provider, Assignment a)
      throws IOException {
    json.writeStartObject();
    if (a.experiment() != null) {
      json.writeFieldName(EXPERIMENT);
      json.writeString(a.experiment());
    }
    if (a.variant() != null) {
      json.writeFieldName(VARIANT);
      json.writeString(a.variant());
    }
    if (a.config() != null) {
      json.writeFieldName(CONFIG);
      a.config().serialize(json, provider);
    }
    if (a.shipped()) {
      json.writeFieldName(SHIPPED);
      json.writeBoolean(true);
    }
    json.writeEndObject();
  }
}
