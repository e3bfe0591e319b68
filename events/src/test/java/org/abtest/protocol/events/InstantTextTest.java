package org.abtest.protocol.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {

  @Test
  void readsWhatInstantParseReads() {
    for (String text :
        List.of(
            "2026-11-22T10:00:00Z",
            "2026-11-22T10:00:00.1Z",
            "2026-11-22T10:00:00.123Z",
            "2026-11-22T10:00:00.123456789Z",
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-02-29T12:00:00Z",
            "2026-11-22T24:00:00Z",
            "2026-11-22T23:59:60Z",
            "2026-11-22T10:00:00+01:00",
            "+12026-11-22T10:00:00Z",
            "2026-11-22T10:00:00.Z",
            "2026-11-22t10:00:00z")) {
      assertThat(InstantText.parse(text)).as(text).isEqualTo(Instant.parse(text));
    }
  }

  @Test
  void rejectsWhatInstantParseRejects() {
    for (String text :
        List.of(
            "",
            "yesterday",
            "2026-02-30T10:00:00Z",
            "2025-02-29T10:00:00Z",
            "2026-13-01T10:00:00Z",
            "2026-11-22T25:00:00Z",
            "2026-11-22T10:60:00Z",
            "2026-11-22T10:00:00.1234567890Z",
            "2026-11-22 10:00:00Z",
            "2026-11-22T10:00:00",
            "2026-11-2aT10:00:00Z")) {
      assertThatThrownBy(() -> Instant.parse(text))
          .as(text)
          .isInstanceOf(DateTimeParseException.class);
      assertThatThrownBy(() -> InstantText.parse(text))
          .as(text)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void agreesWithInstantParseOnRandomTimes() {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 100_000; i++) {
      Instant t =
          Instant.ofEpochSecond(
              random.nextLong(-62_000_000_000L, 253_000_000_000L), random.nextInt(1_000_000_000));
      String text = t.toString();
      assertThat(InstantText.parse(text)).as(text).isEqualTo(t);
      assertThat(InstantText.format(t)).isEqualTo(text);
      Instant millis = Instant.ofEpochMilli(t.toEpochMilli());
      assertThat(InstantText.format(millis)).isEqualTo(millis.toString());
      Instant seconds = Instant.ofEpochSecond(t.getEpochSecond());
      assertThat(InstantText.format(seconds)).isEqualTo(seconds.toString());
    }
  }
}
