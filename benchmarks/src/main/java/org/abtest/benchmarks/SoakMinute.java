package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.abtest.protocol.Json;

/** One minute of the soak, read from the senders, the prober and the node. */
record SoakMinute(
    int minute,
    double acceptedPerSecond,
    long shedBatches,
    long rejected,
    long p50,
    long p99,
    int probes,
    double heapMb,
    long unitsUsed,
    boolean unitsGrowing,
    Map<String, Double> bytes,
    Map<String, Double> entries,
    Map<String, Double> cpuPerEvent) {

  static final String CSV_HEADER =
      "minute,accepted_per_s,shed_batches,rejected,fresh_p50_ms,fresh_p99_ms,probes,heap_after_gc_mb,"
          + "units_used,unit_entries,units_bytes,held_events,held_bytes,dedup_ids,dedup_bytes,"
          + "covariate_bytes,cpu_us_node,cpu_us_kafka,cpu_us_cassandra,cpu_us_loadgen";

  static SoakMinute of(int m, NodeApi api, Soak.Sample now, Soak.Sample last, List<Long> lags)
      throws IOException {
    String metrics = api.text("/metrics");
    JsonNode ready = Json.mapper().readTree(api.text("/health/ready"));
    JsonNode heap = ready.findValue("heapUsedAfterGcBytes");
    long events = now.accepted() - last.accepted();
    Map<String, Double> cpu = new LinkedHashMap<>();
    for (String role : Soak.ROLES) {
      cpu.put(role, now.cpuPerEvent(last, role, events));
    }
    return new SoakMinute(
        m,
        now.ratePerSecond(last),
        now.shed() - last.shed(),
        now.rejected() - last.rejected(),
        SoakStats.percentile(lags, 0.5),
        SoakStats.percentile(lags, 0.99),
        lags.size(),
        heap == null ? Double.NaN : heap.asLong() / 1048576.0,
        now.unitsUsed(),
        now.unitsUsed() > last.unitsUsed(),
        SoakReadings.sumBy(metrics, "abtest_unit_state_bytes", "structure"),
        SoakReadings.sumBy(metrics, "abtest_unit_state_entries", "structure"),
        cpu);
  }

  double bytes(String structure) {
    return bytes.getOrDefault(structure, 0.0);
  }

  double entries(String structure) {
    return entries.getOrDefault(structure, 0.0);
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "min %3d  %7.0f ev/s  shed %d  fresh p50 %d p99 %d ms (%d)  heap %6.1f MB  units %.0f%s"
            + "  state MB: units %.1f held %.1f dedup %.1f cov %.1f  cpu µs/ev: node %.1f kafka %.1f"
            + " cassandra %.1f loadgen %.1f",
        minute,
        acceptedPerSecond,
        shedBatches,
        p50,
        p99,
        probes,
        heapMb,
        entries("units"),
        unitsGrowing ? "+" : "",
        bytes("units") / 1048576,
        bytes("held") / 1048576,
        bytes("dedup") / 1048576,
        bytes("covariate") / 1048576,
        cpuPerEvent.get("node"),
        cpuPerEvent.get("kafka"),
        cpuPerEvent.get("cassandra"),
        cpuPerEvent.get("loadgen"));
  }

  String csv() {
    return String.format(
        Locale.ROOT,
        "%d,%.0f,%d,%d,%d,%d,%d,%.1f,%d,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.0f,%.2f,%.2f,%.2f,%.2f",
        minute,
        acceptedPerSecond,
        shedBatches,
        rejected,
        p50,
        p99,
        probes,
        heapMb,
        unitsUsed,
        entries("units"),
        bytes("units"),
        entries("held"),
        bytes("held"),
        entries("dedup"),
        bytes("dedup"),
        bytes("covariate"),
        cpuPerEvent.get("node"),
        cpuPerEvent.get("kafka"),
        cpuPerEvent.get("cassandra"),
        cpuPerEvent.get("loadgen"));
  }
}
