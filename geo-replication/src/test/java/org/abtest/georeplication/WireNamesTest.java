package org.abtest.georeplication;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.time.Instant;
import org.abtest.protocol.experiment.Author;
import org.abtest.protocol.experiment.Lifecycle;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The names that {@link Author} and {@link Lifecycle} have in the CBOR that nodes exchange and the
 * journal keeps: the types moved to protocol, the bytes must not notice.
 */
class WireNamesTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aCommandCarriesItsAuthorAsActorWithIdAndName() throws Exception {
    JsonNode command =
        cbor(
            new ExperimentEntity.Transition(
                Lifecycle.KILL, new Author("tok-1", "alice"), testKit.system().ignoreRef()));
    assertThat(command.path("action").asText()).isEqualTo("KILL");
    assertThat(command.path("actor").path("id").asText()).isEqualTo("tok-1");
    assertThat(command.path("actor").path("name").asText()).isEqualTo("alice");
    assertThat(command.path("actor").size()).isEqualTo(2);
  }

  @Test
  void aPersistedStatusChangeNamesItsActionByConstant() throws Exception {
    JsonNode event =
        cbor(
            new ExperimentEntity.StatusChanged(
                Lifecycle.CONCLUDE,
                new Origin("tok-1", "alice", "eu", Instant.parse("2026-11-22T10:00:00Z"))));
    assertThat(event.path("action").asText()).isEqualTo("CONCLUDE");
    assertThat(event.path("origin").path("actorId").asText()).isEqualTo("tok-1");
  }

  private static JsonNode cbor(Object message) throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system());
    return CBOR.readTree(serialization.serialize(message).get());
  }
}
