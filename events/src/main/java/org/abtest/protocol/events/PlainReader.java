package org.abtest.protocol.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads, without a JSON parser, exactly what {@link TrackedEventCodec#write} produces in the common
 * case: known fields in the writer's order, printable ASCII strings with nothing escaped, a plain
 * number, no attributes. Anything else, including whitespace or a field out of order, gives null
 * and the caller parses the record properly; so this reader only decides what the full parser would
 * also decide. It exists because every event is read once per partition owner and once per replay,
 * and a general parser was a tenth of the node's CPU under load.
 */
final class PlainReader {

  private static final byte[][] NAMES = {
    ascii("eventId"),
    ascii("type"),
    ascii("unit"),
    ascii("experiment"),
    ascii("variant"),
    ascii("event"),
    ascii("value"),
    ascii("ts")
  };
  private static final int VALUE = 6;
  private static final int TS = 7;

  private PlainReader() {}

  /** The event, or null when the bytes are not in the plain shape. */
  static TrackedEvent read(byte[] b) {
    if (b.length < 2 || b[0] != '{' || b[b.length - 1] != '}') {
      return null;
    }
    String[] texts = new String[6];
    Double value = null;
    Instant ts = null;
    int at = 1;
    int next = 0;
    int end = b.length - 1;
    while (at < end) {
      if (at > 1 && b[at++] != ',') {
        return null;
      }
      int field = field(b, at, next);
      if (field < 0) {
        return null;
      }
      at += NAMES[field].length + 3;
      next = field + 1;
      if (field == VALUE) {
        int stop = at;
        while (stop < end && b[stop] != ',') {
          stop++;
        }
        value = number(b, at, stop);
        if (value == null) {
          return null;
        }
        at = stop;
      } else {
        int stop = quotedEnd(b, at, end);
        if (stop < 0) {
          return null;
        }
        String text = new String(b, at + 1, stop - at - 1, StandardCharsets.ISO_8859_1);
        if (field == TS) {
          ts = instant(text);
          if (ts == null) {
            return null;
          }
        } else {
          texts[field] = text;
        }
        at = stop + 1;
      }
    }
    return new TrackedEvent(
        texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], value, ts, null);
  }

  /** The index of the field named at {@code at} ({@code "name":}), at or after {@code from}. */
  private static int field(byte[] b, int at, int from) {
    if (at >= b.length || b[at] != '"') {
      return -1;
    }
    for (int f = from; f < NAMES.length; f++) {
      byte[] name = NAMES[f];
      int close = at + 1 + name.length;
      if (close + 1 < b.length
          && b[close] == '"'
          && b[close + 1] == ':'
          && Arrays.equals(b, at + 1, close, name, 0, name.length)) {
        return f;
      }
    }
    return -1;
  }

  /** The index of the closing quote of a string of printable ASCII without escapes, or -1. */
  private static int quotedEnd(byte[] b, int at, int end) {
    if (b[at] != '"') {
      return -1;
    }
    for (int i = at + 1; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        return i;
      }
      if (c < 0x20 || c > 0x7e || c == '\\') {
        return -1;
      }
    }
    return -1;
  }

  /**
   * A number in the form {@code Double.toString} prints a finite double ({@code -?D.D(E-?D)?}, with
   * no leading zero before other digits, which JSON forbids), or null for any other form.
   */
  private static Double number(byte[] b, int from, int to) {
    int i = from;
    if (i < to && b[i] == '-') {
      i++;
    }
    int digits = digits(b, i, to);
    if (digits == 0 || (digits > 1 && b[i] == '0')) {
      return null;
    }
    i += digits;
    if (i >= to || b[i++] != '.') {
      return null;
    }
    digits = digits(b, i, to);
    if (digits == 0) {
      return null;
    }
    i += digits;
    if (i < to) {
      if (b[i++] != 'E') {
        return null;
      }
      if (i < to && b[i] == '-') {
        i++;
      }
      digits = digits(b, i, to);
      if (digits == 0 || i + digits != to) {
        return null;
      }
    }
    return Double.valueOf(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
  }

  private static int digits(byte[] b, int from, int to) {
    int i = from;
    while (i < to && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i - from;
  }

  private static Instant instant(String text) {
    try {
      return InstantText.parse(text);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
