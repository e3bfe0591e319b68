package org.abtest.node.pressure;

import com.typesafe.config.Config;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.abtest.analytics.pressure.ConsumerThrottle;
import org.abtest.analytics.pressure.HeapCollections;
import org.abtest.analytics.pressure.MemoryBudget;
import org.abtest.analytics.pressure.MemoryPressure;
import org.abtest.analytics.pressure.ShedThresholds;
import org.abtest.http.ports.LoadShedding;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

/**
 * The node's memory pressure as the HTTP layer sees it: the events path's shedding switch, the
 * readiness detail, the {@code abtest_memory_pressure} gauge, and the timer that re-reads component
 * budgets. Components with a budget of their own {@link #register} it.
 */
public final class NodePressure implements LoadShedding {

  private final MemoryPressure pressure;
  private final ConsumerThrottle throttle;

  private NodePressure(MemoryPressure pressure, ConsumerThrottle throttle) {
    this.pressure = pressure;
    this.throttle = throttle;
  }

  /** The thresholds of {@code abtest.events.shed}. */
  public static ShedThresholds thresholds(Config shed) {
    return new ShedThresholds(
        shed.getBoolean("enabled"),
        shed.getDouble("shed-at"),
        shed.getDouble("resume-below"),
        shed.getDuration("retry-after"),
        shed.getDuration("recheck-interval"));
  }

  /** How the events consumer slows down, from {@code abtest.events.shed} (off with shedding). */
  public static ConsumerThrottle throttle(Config shed) {
    if (!shed.getBoolean("enabled")) {
      return ConsumerThrottle.OFF;
    }
    return new ConsumerThrottle(
        shed.getDouble("consumer-pause-at"),
        shed.getDuration("consumer-max-pause"),
        CONSUMER_RECHECK);
  }

  /** How often a waiting batch looks at the pressure again. */
  private static final Duration CONSUMER_RECHECK = Duration.ofMillis(100);

  public static NodePressure start(ActorSystem<?> system, PrometheusRegistry registry) {
    Config shed = system.settings().config().getConfig("abtest.events.shed");
    MemoryPressure pressure = new MemoryPressure(thresholds(shed), System::nanoTime);
    HeapCollections collections = HeapCollections.watch(pressure);
    GaugeWithCallback.builder()
        .name("abtest_memory_pressure")
        .help(
            "The larger of heap occupancy after the last GC and the fullest component budget,"
                + " as a fraction of its limit; events are shed from abtest.events.shed.shed-at")
        .callback(callback -> callback.call(pressure.reading().pressure()))
        .register(registry);
    var blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    Duration refresh = shed.getDuration("refresh-interval");
    var tick =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                refresh,
                refresh,
                () -> {
                  pressure.refresh();
                  if (pressure.wantsCollection()) {
                    // Off the scheduler's thread: a full collection of a large heap takes a while.
                    blocking.execute(System::gc);
                  }
                },
                system.executionContext());
    CoordinatedShutdown.get(system)
        .addJvmShutdownHook(
            () -> {
              tick.cancel();
              collections.close();
            });
    return new NodePressure(pressure, throttle(shed));
  }

  public void register(MemoryBudget budget) {
    pressure.register(budget);
  }

  public MemoryPressure pressure() {
    return pressure;
  }

  /** The events consumer's slow-down, for {@code PartitionedIngestion}. */
  public ConsumerThrottle consumerThrottle() {
    return throttle;
  }

  /** The pressure now (0..1 or more), for the consumer's throttle. */
  public double level() {
    return pressure.reading().pressure();
  }

  @Override
  public boolean sheddingEvents() {
    return pressure.shedding();
  }

  @Override
  public Duration retryAfter() {
    return pressure.thresholds().retryAfter();
  }

  @Override
  public Map<String, Object> detail() {
    MemoryPressure.Reading reading = pressure.reading();
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("pressure", round(reading.pressure()));
    detail.put("heapAfterGc", round(reading.heapAfterGc()));
    detail.put("heapUsedAfterGcBytes", reading.heapUsedAfterGcBytes());
    detail.put("heapMaxBytes", reading.heapMaxBytes());
    detail.put("shedAt", pressure.thresholds().shedAt());
    detail.put("resumeBelow", pressure.thresholds().resumeBelow());
    if (!reading.budgets().isEmpty()) {
      Map<String, Object> budgets = new LinkedHashMap<>();
      reading.budgets().forEach((name, fraction) -> budgets.put(name, round(fraction)));
      detail.put("budgets", budgets);
    }
    return detail;
  }

  private static double round(double fraction) {
    return Math.round(fraction * 1000) / 1000.0;
  }
}
