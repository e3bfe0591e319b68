package org.abtest.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.abtest.protocol.assignment.Bucketing;

/**
 * One sender's {@code POST /v1/events} body of {@link #SIZE} events, built once: event {@code i} of
 * batch {@code n} has id {@code x|m<experiment>-<sender>-<n, 12 digits>-<i>} and unit {@code
 * u<sender>-<(n·500 + i/2) mod units, 7 digits>}; even events are exposures, odd ones a purchase of
 * the same unit. Per batch only the batch number, the units, their variants and the timestamps are
 * rewritten in place (fixed-width digits), so every event id stays unique while the load generator
 * stays cheap on a machine it shares with the node, Kafka and Cassandra.
 *
 * <p>A sender's units are a fixed population: once {@code n·500} passes it, no new units appear,
 * which is what lets a soak tell state that grows with units from state that grows with time.
 */
final class EventBatch {

  static final int SIZE = 1000;
  static final int MAX_UNITS = 10_000_000;
  private static final int UNIT_DIGITS = 7;
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final byte[] bytes;
  private final int[] batchAt = new int[SIZE];
  private final int[] unitAt = new int[SIZE];
  private final int[] variantAt = new int[SIZE];
  private final int[] tsAt = new int[SIZE];
  private final byte[] variants;

  /**
   * @param salt the experiment's salt: each unit's variant is the one the node assigns (50/50 in
   *     declared order, full coverage), since the node refuses exposures to any other
   */
  EventBatch(String key, String salt, int sender, int units) {
    if (units < 1 || units > MAX_UNITS) {
      throw new IllegalArgumentException("units per sender must be in [1, " + MAX_UNITS + "]");
    }
    variants = new byte[units];
    for (int u = 0; u < units; u++) {
      String unit = "u" + sender + "-" + String.format("%0" + UNIT_DIGITS + "d", u);
      variants[u] = (byte) (Bucketing.bucket(salt, unit) < Bucketing.BUCKETS / 2 ? 'a' : 'b');
    }
    String ts = TS.format(Instant.EPOCH);
    StringBuilder b = new StringBuilder("{\"events\": [");
    for (int i = 0; i < SIZE; i++) {
      b.append(i == 0 ? "" : ",");
      // The run's key in every id: ids repeated from an earlier run would be dropped as
      // duplicates (dedup-window) and skip most of the work.
      b.append(i % 2 == 0 ? "{\"eventId\":\"x" : "{\"eventId\":\"m").append(key).append('-');
      b.append(sender).append('-');
      batchAt[i] = b.length();
      b.append("000000000000-").append(i);
      b.append("\",\"type\":\"").append(i % 2 == 0 ? "exposure" : "metric");
      b.append("\",\"unit\":\"u").append(sender).append('-');
      unitAt[i] = b.length();
      b.append("0".repeat(UNIT_DIGITS));
      if (i % 2 == 0) {
        b.append("\",\"experiment\":\"").append(key).append("\",\"variant\":\"");
        variantAt[i] = b.length();
        b.append("a\",\"ts\":\"");
      } else {
        b.append("\",\"event\":\"purchase\",\"value\":3.5,\"ts\":\"");
      }
      tsAt[i] = b.length();
      b.append(ts).append("\"}");
    }
    bytes = b.append("]}").toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The distinct units that batches 0 … {@code batches − 1} of one sender have used. */
  static long unitsAfter(long batches, int units) {
    return Math.min(batches * (SIZE / 2), units);
  }

  /** Batch {@code n}, timestamped now; the array is reused by the next call. */
  byte[] render(long n) {
    byte[] time = TS.format(Instant.now()).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < SIZE; i++) {
      digits(batchAt[i], 12, n);
      int unit = (int) ((n * (SIZE / 2) + i / 2) % variants.length);
      digits(unitAt[i], UNIT_DIGITS, unit);
      if (i % 2 == 0) {
        bytes[variantAt[i]] = variants[unit];
      }
      System.arraycopy(time, 0, bytes, tsAt[i], time.length);
    }
    return bytes;
  }

  private void digits(int at, int width, long value) {
    for (int k = at + width - 1; k >= at; k--) {
      bytes[k] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }
}
