package org.abtest.georeplication;

import java.time.Instant;
import org.abtest.protocol.CborSerializable;

/**
 * Who made a change, in which region, and when: carried by every experiment and layer event so that
 * the journal itself is the audit trail, and so that conflict rules have a {@link Stamp}.
 */
public record Origin(String actorId, String actorName, String region, Instant at)
    implements CborSerializable {

  /** The scheduler's changes (startAt/endAt) are made by the system, not by a credential. */
  public static Origin system(String region, Instant at) {
    return new Origin("system", "scheduler", region, at);
  }

  public Stamp stamp() {
    return new Stamp(at.toEpochMilli(), region);
  }
}
