package org.abtest.georeplication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.abtest.protocol.Json;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Persisted events as the journal holds them (serializer id, manifest, bytes), written to and read
 * from a JSON fixture, so that a later version of the code can be tested against a journal written
 * by this one ({@link JournalFixtureTest}).
 */
final class JournalFixtures {

  static final String EXPERIMENT_JOURNAL = "/journal-fixtures/experiment-journal-v1.json";

  /** One persisted event, in the form the journal stores it. */
  record Stored(String persistenceId, int serializerId, String manifest, byte[] bytes) {}

  private JournalFixtures() {}

  static Stored store(ActorSystem<?> system, String persistenceId, Object event) {
    Serialization serialization = SerializationExtension.get(system.classicSystem());
    Serializer serializer = serialization.findSerializerFor(event);
    return new Stored(
        persistenceId,
        serializer.identifier(),
        Serializers.manifestFor(serializer, event),
        serialization.serialize(event).get());
  }

  static Object load(ActorSystem<?> system, Stored stored) {
    return SerializationExtension.get(system.classicSystem())
        .deserialize(stored.bytes(), stored.serializerId(), stored.manifest())
        .get();
  }

  static ObjectNode toJson(List<Stored> events) {
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode rows = root.putArray("events");
    for (Stored e : events) {
      rows.addObject()
          .put("persistenceId", e.persistenceId())
          .put("serializerId", e.serializerId())
          .put("manifest", e.manifest())
          .put("bytes", Base64.getEncoder().encodeToString(e.bytes()));
    }
    return root;
  }

  static JsonNode read(String resource) {
    try (InputStream in = JournalFixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("fixture " + resource + " is missing");
      }
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Stored> events(JsonNode fixture) {
    List<Stored> out = new ArrayList<>();
    for (JsonNode row : fixture.path("events")) {
      out.add(
          new Stored(
              row.path("persistenceId").asText(),
              row.path("serializerId").asInt(),
              row.path("manifest").asText(),
              Base64.getDecoder().decode(row.path("bytes").asText())));
    }
    return out;
  }
}
