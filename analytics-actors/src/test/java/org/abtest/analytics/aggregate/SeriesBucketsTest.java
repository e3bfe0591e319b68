package org.abtest.analytics.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class SeriesBucketsTest {

  private static final SeriesBuckets DEFAULT =
      new SeriesBuckets(Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofHours(1), 2000);
  private static final Instant START = Instant.parse("2026-11-22T10:17:30Z");

  private static Instant at(String t) {
    return Instant.parse(t);
  }

  @Test
  void theFirstDayHasFiveMinuteBucketsOnTheClock() {
    assertThat(DEFAULT.bucketOf(START, START)).isEqualTo(at("2026-11-22T10:15:00Z"));
    assertThat(DEFAULT.bucketOf(START, at("2026-11-22T10:24:59Z")))
        .isEqualTo(at("2026-11-22T10:20:00Z"));
    assertThat(DEFAULT.endOf(START, at("2026-11-22T10:20:00Z")))
        .isEqualTo(at("2026-11-22T10:25:00Z"));
    // 24 h after the start is 10:17:30 the next day: fine buckets run to the next whole hour
    assertThat(DEFAULT.bucketOf(START, at("2026-11-23T10:59:00Z")))
        .isEqualTo(at("2026-11-23T10:55:00Z"));
  }

  @Test
  void afterTheFirstDayBucketsAreHours() {
    assertThat(DEFAULT.bucketOf(START, at("2026-11-23T11:00:00Z")))
        .isEqualTo(at("2026-11-23T11:00:00Z"));
    assertThat(DEFAULT.bucketOf(START, at("2026-11-25T08:42:00Z")))
        .isEqualTo(at("2026-11-25T08:00:00Z"));
    assertThat(DEFAULT.endOf(START, at("2026-11-25T08:00:00Z")))
        .isEqualTo(at("2026-11-25T09:00:00Z"));
  }

  @Test
  void bucketStartsOnlyMoveForwardAndAreBoundedByMaxRows() {
    SeriesBuckets small =
        new SeriesBuckets(Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofHours(1), 30);
    TreeSet<Instant> rows = new TreeSet<>();
    Instant previous = Instant.MIN;
    for (Instant t = START; t.isBefore(START.plus(Duration.ofDays(30))); t = t.plusSeconds(97)) {
      Instant bucket = small.bucketOf(START, t);
      assertThat(bucket).isAfterOrEqualTo(previous);
      previous = bucket;
      rows.add(bucket);
    }
    assertThat(rows).hasSize(30);
    // 1 h after 10:17:30 is 11:17:30, so 5-minute rows run to 12:00 (10:15 … 11:55: 21 rows),
    // then hours from 12:00: the 30th row is 20:00
    assertThat(rows.last()).isEqualTo(at("2026-11-22T20:00:00Z"));
    assertThat(small.endOf(START, rows.last())).as("the last row stays open").isNull();
    assertThat(small.bucketOf(START, at("2026-12-20T00:00:00Z"))).isEqualTo(rows.last());
  }

  @Test
  void aMomentBeforeTheStartCountsAsTheStart() {
    assertThat(DEFAULT.bucketOf(START, START.minusSeconds(3600)))
        .isEqualTo(at("2026-11-22T10:15:00Z"));
  }

  @Test
  void widthsThatDoNotNestAreRefused() {
    assertThatThrownBy(
            () ->
                new SeriesBuckets(
                    Duration.ofMinutes(7), Duration.ofHours(24), Duration.ofHours(1), 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SeriesBuckets(
                    Duration.ofMinutes(5), Duration.ofHours(24), Duration.ofMinutes(1), 10))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
