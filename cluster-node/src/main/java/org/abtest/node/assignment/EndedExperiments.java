package org.abtest.node.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * Experiments that stopped being live (paused, concluded, killed) or began a new phase a short
 * while ago, each with the last manifest that served the old state and the time this node saw it
 * change. An exposure made before that moment but arriving after it (a client's batch in flight at
 * the pause, an SDK that flushes a few seconds later) is judged against that manifest: the rule "an
 * exposure is judged at the edge" would otherwise drop exposures from before a pause, which must
 * count (docs/aggregation.md).
 *
 * <p>Bounded: an entry is kept for {@code grace} only, and the manifests held are budgeted by their
 * serialized size (an old manifest shared by several entries counts once per entry, an upper
 * bound); past the budget the oldest entries go first. A stranger cannot grow it: entries come only
 * from manifests, which admins write.
 */
public final class EndedExperiments {

  /**
   * @param grace how long after leaving an experiment still takes exposures dated before it left
   * @param budgetBytes the serialized bytes of the manifests held, at most
   */
  public record Settings(Duration grace, long budgetBytes) {

    public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(10), 64L << 20);

    public Settings {
      if (grace.isNegative() || budgetBytes < 0) {
        throw new IllegalArgumentException("ended-grace and ended-budget must not be negative");
      }
    }
  }

  private record Entry(String key, CompiledManifest manifest, long endedAtMillis, long bytes) {}

  private final Settings settings;
  private final LongSupplier clockMillis;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private long bytes;
  // read without the lock on every exposure: almost always zero, so the hot path stays lock-free
  private volatile int count;

  public EndedExperiments(Settings settings, LongSupplier clockMillis) {
    this.settings = settings;
    this.clockMillis = clockMillis;
  }

  /**
   * A manifest {@code next} replaced {@code before} (of {@code beforeBytes} serialized): an
   * experiment that left the live set, or went on in a new phase (re-randomized: a new salt or new
   * weights), is remembered with {@code before}; one live again after leaving is forgotten.
   */
  public synchronized void replaced(
      CompiledManifest before, long beforeBytes, CompiledManifest next) {
    long now = clockMillis.getAsLong();
    Map<String, Integer> phasesBefore = phases(before);
    Map<String, Integer> phasesNext = phases(next);
    entries.removeIf(e -> phasesNext.containsKey(e.key()) && !phasesBefore.containsKey(e.key()));
    for (Map.Entry<String, Integer> was : phasesBefore.entrySet()) {
      String key = was.getKey();
      if (!was.getValue().equals(phasesNext.get(key))) {
        entries.removeIf(e -> e.key().equals(key));
        entries.addLast(new Entry(key, before, now, beforeBytes));
      }
    }
    bytes = entries.stream().mapToLong(Entry::bytes).sum();
    expire(now);
  }

  private static Map<String, Integer> phases(CompiledManifest manifest) {
    Map<String, Integer> out = new HashMap<>();
    for (ManifestExperiment e : manifest.manifest().experiments()) {
      if (manifest.isLive(e.key())) {
        out.put(e.key(), e.phase());
      }
    }
    return out;
  }

  /**
   * The manifest that served {@code experiment} when an exposure dated {@code ts} was made, if the
   * experiment left the live set or changed phase after {@code ts}, no longer than the grace ago;
   * else null (the current manifest judges it). {@code experiment} is the key as the exposure names
   * it (a hashed key is revealed by {@code reveal} against each candidate manifest).
   */
  public synchronized CompiledManifest servedAt(String experiment, Instant ts, KeyReveal reveal) {
    if (ts == null || entries.isEmpty()) {
      return null;
    }
    long now = clockMillis.getAsLong();
    expire(now);
    for (Entry e : entries) {
      if (e.key().equals(reveal.realKey(e.manifest(), experiment))
          && ts.toEpochMilli() < e.endedAtMillis()) {
        return e.manifest();
      }
    }
    return null;
  }

  /** The real key an exposure's experiment names in {@code manifest} (itself, or a hash's key). */
  public interface KeyReveal {
    String realKey(CompiledManifest manifest, String named);
  }

  /** Experiments remembered now. */
  public synchronized int size() {
    return entries.size();
  }

  /** The serialized bytes of the manifests held (per entry), for the gauge. */
  public synchronized long bytes() {
    return bytes;
  }

  private void expire(long now) {
    try {
      dropExpired(now);
    } finally {
      count = entries.size();
    }
  }

  private void dropExpired(long now) {
    long graceMillis = settings.grace().toMillis();
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (now - e.endedAtMillis() > graceMillis || bytes > settings.budgetBytes()) {
        it.remove();
        bytes -= e.bytes();
      } else {
        break;
      }
    }
  }
}
