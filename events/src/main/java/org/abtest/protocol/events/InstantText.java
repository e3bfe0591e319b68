package org.abtest.protocol.events;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 times as events carry them. {@link Instant#parse} builds a new formatter on every call
 * (JDK 17), which made it the largest single cost of the events path (a third of the node's CPU in
 * a profile); this reads the form every client and our own Kafka payloads use, {@code
 * yyyy-MM-ddTHH:mm:ss[.fraction]Z}, by hand, and hands anything else to {@link Instant#parse}, so
 * what is accepted, and the value it means, are exactly as before.
 */
public final class InstantText {

  private InstantText() {}

  /**
   * @throws DateTimeParseException as {@link Instant#parse} would
   */
  public static Instant parse(CharSequence text) {
    Instant fast = fastPath(text);
    return fast != null ? fast : Instant.parse(text);
  }

  /** The common form, or null to let {@link Instant#parse} decide (and name the error). */
  private static Instant fastPath(CharSequence s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    // 24:00 and leap seconds (:60) are legal in Instant.parse with special meanings: leave them to
    // it.
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
      return null;
    }
    if (second < 0 || second > 59) {
      return null;
    }
    int nanos = 0;
    if (n > 20) {
      // ".d" up to ".ddddddddd" before the Z
      int fraction = n - 21;
      if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        return null;
      }
      int value = digits(s, 20, fraction);
      if (value < 0) {
        return null;
      }
      for (int i = fraction; i < 9; i++) {
        value *= 10;
      }
      nanos = value;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return null;
    }
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
  }

  /**
   * The text {@link Instant#toString} gives (ISO_INSTANT: fraction in groups of three digits, none
   * when zero), written by hand for years 0000–9999 and by it otherwise.
   */
  public static String format(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds < MIN_FAST || seconds >= MAX_FAST) {
      return t.toString();
    }
    long day = Math.floorDiv(seconds, 86_400);
    int secondOfDay = (int) Math.floorMod(seconds, 86_400);
    LocalDate date = LocalDate.ofEpochDay(day);
    int nanos = t.getNano();
    int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
    byte[] out = new byte[fraction == 0 ? 20 : 21 + fraction];
    put(out, 0, 4, date.getYear());
    out[4] = '-';
    put(out, 5, 2, date.getMonthValue());
    out[7] = '-';
    put(out, 8, 2, date.getDayOfMonth());
    out[10] = 'T';
    put(out, 11, 2, secondOfDay / 3600);
    out[13] = ':';
    put(out, 14, 2, secondOfDay / 60 % 60);
    out[16] = ':';
    put(out, 17, 2, secondOfDay % 60);
    if (fraction > 0) {
      out[19] = '.';
      put(
          out,
          20,
          fraction,
          fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1000 : nanos);
    }
    out[out.length - 1] = 'Z';
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  // 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z
  private static final long MIN_FAST = -62_167_219_200L;
  private static final long MAX_FAST = 253_402_300_800L;

  private static void put(byte[] out, int at, int width, int value) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  /** The non-negative number of {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(CharSequence s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
