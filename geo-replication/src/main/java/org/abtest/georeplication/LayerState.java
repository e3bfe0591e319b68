package org.abtest.georeplication;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.assignment.Bucketing;
import org.abtest.protocol.experiment.SlotRange;

/**
 * A layer: its own salt and which owner (an experiment, or the global holdout) holds which slot
 * range. Ranges never overlap; that is checked here, by the layer's single writer.
 *
 * @param allocations owner → its slot range
 * @param appliedEvents events folded, the layer's share of the manifest version
 */
public record LayerState(
    String key,
    String salt,
    Instant createdAt,
    Map<String, SlotRange> allocations,
    long appliedEvents)
    implements CborSerializable {

  public static final int SLOTS = Bucketing.BUCKETS;

  /** The owner name under which the global holdout holds its range in the global layer. */
  public static final String HOLDOUT_OWNER = "holdout";

  public static LayerState empty(String key) {
    return new LayerState(key, null, null, Map.of(), 0);
  }

  public LayerState {
    allocations = Map.copyOf(allocations);
  }

  public boolean exists() {
    return salt != null;
  }

  /** Another owner's range that {@code range} would overlap, if any. */
  public Optional<Map.Entry<String, SlotRange>> overlapping(String owner, SlotRange range) {
    return allocations.entrySet().stream()
        .filter(e -> !e.getKey().equals(owner) && e.getValue().overlaps(range))
        .findFirst();
  }

  /** The slot ranges nobody holds, in order. */
  public List<SlotRange> freeRanges() {
    List<SlotRange> used = new ArrayList<>(allocations.values());
    used.sort(Comparator.comparingInt(SlotRange::start));
    List<SlotRange> free = new ArrayList<>();
    int next = 0;
    for (SlotRange r : used) {
      if (r.start() > next) {
        free.add(new SlotRange(next, r.start()));
      }
      next = Math.max(next, r.end());
    }
    if (next < SLOTS) {
      free.add(new SlotRange(next, SLOTS));
    }
    return free;
  }

  public LayerState created(String newSalt, Instant at) {
    return new LayerState(key, newSalt, at, allocations, appliedEvents + 1);
  }

  public LayerState allocated(String owner, SlotRange range) {
    Map<String, SlotRange> all = new HashMap<>(allocations);
    all.put(owner, range);
    return new LayerState(key, salt, createdAt, all, appliedEvents + 1);
  }

  public LayerState released(String owner) {
    Map<String, SlotRange> all = new HashMap<>(allocations);
    all.remove(owner);
    return new LayerState(key, salt, createdAt, all, appliedEvents + 1);
  }
}
