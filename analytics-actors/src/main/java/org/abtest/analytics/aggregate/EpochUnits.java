package org.abtest.analytics.aggregate;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abtest.protocol.CborSerializable;

/**
 * The units first exposed during one weight epoch of a phase, per variant, with the weights then in
 * force (empty: unknown, the merged oldest epochs of a long-running bandit).
 */
public record EpochUnits(Instant from, Map<String, Integer> weights, Map<String, Long> units)
    implements CborSerializable {

  public EpochUnits {
    weights =
        weights == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(weights));
    units = units == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(units));
  }
}
