package org.abtest.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class TrackedEventCodecTest {

  private static final Instant TS = Instant.parse("2026-11-22T10:00:00.125Z");

  @Test
  void writesTheBytesTheDataBinderWrites() throws Exception {
    for (TrackedEvent event : examples()) {
      assertThat(TrackedEventCodec.write(event))
          .isEqualTo(Json.mapper().writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void writesRandomEventsAsTheDataBinderDoes() throws Exception {
    SplittableRandom random = new SplittableRandom(11);
    String alphabet = "abcXYZ019-_./:@ \"\\\u007f\u00e9\u3042\n\t\u0001";
    for (int i = 0; i < 20_000; i++) {
      TrackedEvent event =
          RandomEvents.event(
              random,
              () -> text(random, alphabet),
              RandomEvents.value(random),
              RandomEvents.ts(random));
      assertThat(TrackedEventCodec.write(event))
          .as(event.toString())
          .isEqualTo(Json.mapper().writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
      assertThat(TrackedEventCodec.read(TrackedEventCodec.write(event))).isEqualTo(event);
    }
  }

  /** Mostly plain ASCII (the fast path), sometimes a character that needs the generator. */
  private static String text(SplittableRandom random, String alphabet) {
    return RandomEvents.text(random, alphabet, random.nextInt(4) != 0 ? 15 : alphabet.length());
  }

  @Test
  void readsBackWhatItWrites() throws Exception {
    for (TrackedEvent event : examples().subList(0, 4)) {
      assertThat(TrackedEventCodec.read(TrackedEventCodec.write(event))).isEqualTo(event);
    }
  }

  @Test
  void otherShapesMeanWhatTheDataBinderSays() throws Exception {
    for (String json :
        List.of(
            "{\"eventId\":\"e\",\"type\":\"metric\",\"unit\":\"u\",\"event\":\"buy\",\"value\":2}",
            "{\"eventId\":\"e\",\"type\":\"metric\",\"unit\":\"u\",\"event\":\"buy\",\"value\":\"2.5\"}",
            "{\"eventId\":7,\"type\":\"exposure\",\"unit\":\"u\",\"experiment\":\"x\",\"variant\":\"a\"}",
            "{\"type\":\"exposure\",\"ts\":\"2026-11-22T10:00:00+01:00\",\"attributes\":null}",
            "{\"type\":\"exposure\",\"ts\":1764000000.5}",
            "{\"unit\":\"ü-ユーザー\\n\",\"attributes\":{\"a\":[1,{\"b\":null}]}}",
            "{}")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThat(TrackedEventCodec.read(bytes))
          .as(json)
          .isEqualTo(Json.mapper().readValue(bytes, TrackedEvent.class));
    }
  }

  @Test
  void unreadableRecordsAreErrorsAsBefore() {
    for (String json :
        List.of(
            "{\"eventId\":\"e\",\"surprise\":1}",
            "{\"ts\":\"yesterday\"}",
            "[1,2]",
            "{\"eventId\":\"e\"",
            "not json")) {
      assertThatThrownBy(() -> TrackedEventCodec.read(json.getBytes(StandardCharsets.UTF_8)))
          .as(json)
          .isInstanceOf(IOException.class);
    }
  }

  private static List<TrackedEvent> examples() throws Exception {
    return List.of(
        TrackedEvent.exposure("e-1", "user-42", "checkout", "green", TS),
        new TrackedEvent(
            "e-2", TrackedEvent.METRIC, "user-42", null, null, "purchase", 3.5, TS, null),
        new TrackedEvent(
            "e-3",
            TrackedEvent.METRIC,
            "üñï \"quoted\" ユーザー",
            null,
            null,
            "purchase",
            1e-7,
            Instant.parse("2026-11-22T10:00:00Z"),
            Json.mapper().readTree("{\"country\":\"US\",\"n\":[1,2.5,null,{\"x\":true}]}")),
        new TrackedEvent("e-4", "exposure", "u", "x", "a", null, null, null, null),
        new TrackedEvent(
            "e-5", "exposure", "lone \ud800 surrogate", "x", "a", null, null, TS, null));
  }
}
