package org.abtest.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class PlainReaderTest {

  @Test
  void readsEveryPlainEventTheWriterProducesAsTheDataBinderDoes() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    String alphabet = "abcXYZ019-_./:@ ~";
    for (int i = 0; i < 20_000; i++) {
      TrackedEvent event =
          RandomEvents.event(
              random,
              () -> RandomEvents.text(random, alphabet, alphabet.length()),
              RandomEvents.value(random),
              RandomEvents.ts(random));
      byte[] bytes = TrackedEventCodec.write(event);
      TrackedEvent read = PlainReader.read(bytes);
      assertThat(read).as(event.toString()).isNotNull();
      assertThat(read).isEqualTo(Json.mapper().readValue(bytes, TrackedEvent.class));
      assertThat(read).isEqualTo(event);
    }
  }

  @Test
  void anythingOutsideThePlainShapeIsLeftToTheParser() throws Exception {
    for (String json :
        List.of(
            "{\"eventId\":\"e\",\"type\":\"metric\",\"value\":2}",
            "{\"eventId\":\"e\",\"value\":01.5}",
            "{\"eventId\":\"e\",\"value\":1.}",
            "{\"eventId\":\"e\",\"value\":+1.0}",
            "{\"eventId\":\"e\",\"value\":1.0e5}",
            "{\"eventId\":\"e\",\"value\":1.0E}",
            "{\"eventId\":\"e\",\"value\":\"2.5\"}",
            "{\"eventId\":\"e\",\"value\":NaN}",
            "{\"eventId\":\"e\",\"value\":null}",
            "{\"eventId\": \"e\"}",
            "{\"type\":\"metric\",\"eventId\":\"e\"}",
            "{\"eventId\":\"e\",\"eventId\":\"f\"}",
            "{\"eventId\":\"a\\\"b\"}",
            "{\"eventId\":\"a\\u0041\"}",
            "{\"unit\":\"ü\"}",
            "{\"eventId\":null}",
            "{\"eventId\":7}",
            "{\"eventId\":\"e\",}",
            "{\"eventId\":\"e\",\"surprise\":1}",
            "{\"ts\":\"yesterday\"}",
            "{\"eventI\":\"e\"}",
            "{\"eventId\":\"e\"",
            "{\"attributes\":{}}",
            "[1]")) {
      assertThat(PlainReader.read(json.getBytes(StandardCharsets.UTF_8))).as(json).isNull();
    }
  }

  @Test
  void plainRecordsWrittenByHandMeanWhatTheDataBinderSays() throws Exception {
    for (String json :
        List.of(
            "{}",
            "{\"value\":-0.0}",
            "{\"value\":1.0E-7}",
            "{\"value\":1.7976931348623157E308}",
            "{\"ts\":\"2026-11-22T10:00:00+01:00\"}",
            "{\"eventId\":\"\",\"value\":0.5,\"ts\":\"2026-11-22T10:00:00Z\"}",
            "{\"type\":\"exposure\",\"unit\":\"u\",\"experiment\":\"x\",\"variant\":\"a\"}")) {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      assertThat(PlainReader.read(bytes))
          .as(json)
          .isNotNull()
          .isEqualTo(Json.mapper().readValue(bytes, TrackedEvent.class));
    }
  }
}
