package org.abtest.georeplication;

import java.util.Comparator;
import org.abtest.protocol.CborSerializable;

/**
 * A last-writer-wins timestamp: wall-clock milliseconds, ties broken by the replica (region) id, so
 * two replicas that see the same writes always pick the same winner.
 */
public record Stamp(long millis, String replica) implements CborSerializable, Comparable<Stamp> {

  public static final Stamp ZERO = new Stamp(Long.MIN_VALUE, "");

  private static final Comparator<Stamp> ORDER =
      Comparator.comparingLong(Stamp::millis).thenComparing(Stamp::replica);

  @Override
  public int compareTo(Stamp other) {
    return ORDER.compare(this, other);
  }

  public boolean isAfter(Stamp other) {
    return compareTo(other) > 0;
  }

  public static Stamp max(Stamp a, Stamp b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
