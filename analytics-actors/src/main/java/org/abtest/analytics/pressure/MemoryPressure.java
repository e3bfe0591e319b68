package org.abtest.analytics.pressure;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How close this node is to running out of memory, and whether the events path sheds because of it.
 * Pressure is the larger of the heap's live-set estimate and the fullest registered {@link
 * MemoryBudget}. Requests read one volatile field ({@link #shedding}); the numbers change only when
 * a collection reports or {@link #refresh} re-reads the budgets.
 *
 * <p>The estimate is what the latest collection that reclaimed the old generation left behind (a
 * mixed or full collection, {@link #heapAfterCollection}). A young collection leaves old garbage in
 * place, so its figure is an upper bound that can sit far above the live set (in a 1 GB soak, 906
 * MB after a young collection with about 500 MB live); it can only lower the estimate ({@link
 * #heapAfterYoungCollection}). Growth of the live set is seen at the next old-reclaiming
 * collection: the collector starts one when the old generation fills, and always runs a full one
 * before it would throw {@code OutOfMemoryError}.
 */
public final class MemoryPressure {

  private static final Logger log = LoggerFactory.getLogger(MemoryPressure.class);

  /** What GET /health/ready shows and the gauge exports. Fractions of the limit, 0..1 (or more). */
  public record Reading(
      double pressure,
      boolean shedding,
      double heapAfterGc,
      long heapUsedAfterGcBytes,
      long heapMaxBytes,
      Map<String, Double> budgets) {}

  private final ShedThresholds thresholds;
  private final LongSupplier nanoTime;
  private final List<MemoryBudget> budgets = new CopyOnWriteArrayList<>();
  private long heapUsed;
  private boolean estimated;
  private long heapMax = 1;
  private long lastCollection;
  private long lastRecheck;
  private volatile boolean shedding;
  private volatile Reading reading;

  public MemoryPressure(ShedThresholds thresholds, LongSupplier nanoTime) {
    this.thresholds = thresholds;
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.lastCollection = now;
    this.lastRecheck = now;
    this.reading = new Reading(0, false, 0, 0, 1, Map.of());
  }

  public ShedThresholds thresholds() {
    return thresholds;
  }

  /** The one read on the request path. */
  public boolean shedding() {
    return shedding;
  }

  public Reading reading() {
    return reading;
  }

  public void register(MemoryBudget budget) {
    budgets.add(budget);
    refresh();
  }

  /**
   * A collection that reclaimed the old generation has ended with {@code used} bytes live (or not
   * yet collected) of {@code max}.
   */
  public synchronized void heapAfterCollection(long used, long max) {
    heapUsed = used;
    estimated = true;
    collected(max);
  }

  /**
   * A young collection has ended with {@code used} bytes of {@code max}, old garbage included: it
   * lowers the estimate when it is below it and never raises it.
   */
  public synchronized void heapAfterYoungCollection(long used, long max) {
    heapUsed = estimated ? Math.min(heapUsed, used) : used;
    estimated = true;
    collected(max);
  }

  private void collected(long max) {
    heapMax = Math.max(1, max);
    lastCollection = nanoTime.getAsLong();
    update();
  }

  /** Re-reads the budgets; called on a timer, since budgets change without telling us. */
  public synchronized void refresh() {
    update();
  }

  /**
   * Whether a collection should be requested now: the path is shedding and no collection has
   * reported for the recheck interval. Without one the last reading would hold forever once
   * allocation stops, and the events path would never reopen. Answers true at most once per
   * interval.
   */
  public synchronized boolean wantsCollection() {
    long now = nanoTime.getAsLong();
    long interval = thresholds.recheckInterval().toNanos();
    if (!shedding || now - lastCollection < interval || now - lastRecheck < interval) {
      return false;
    }
    lastRecheck = now;
    return true;
  }

  private void update() {
    double heap = (double) heapUsed / heapMax;
    double pressure = heap;
    Map<String, Double> fractions = new LinkedHashMap<>();
    for (MemoryBudget budget : budgets) {
      long limit = budget.limitBytes();
      double fraction = limit > 0 ? (double) budget.usedBytes() / limit : 0;
      fractions.put(budget.name(), fraction);
      pressure = Math.max(pressure, fraction);
    }
    boolean was = shedding;
    boolean now = thresholds.sheds(was, pressure);
    reading = new Reading(pressure, now, heap, heapUsed, heapMax, Map.copyOf(fractions));
    shedding = now;
    if (now != was) {
      if (now) {
        log.warn(
            "memory pressure {} (heap after GC {} of {} bytes, budgets {}): shedding events",
            String.format("%.2f", pressure),
            heapUsed,
            heapMax,
            fractions);
      } else {
        log.info("memory pressure {}: accepting events again", String.format("%.2f", pressure));
      }
    }
  }
}
