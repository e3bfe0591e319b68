package org.abtest.benchmarks;

import java.util.Map;
import java.util.TreeMap;

/** Parsing what the soak reads: Prometheus text from the node, and {@code /proc/<pid>/stat}. */
final class SoakReadings {

  private SoakReadings() {}

  /**
   * Sums the samples of {@code metric} by the value of {@code label} (e.g. the bytes of {@code
   * abtest_unit_state_bytes} per structure, over all partitions). Other metrics whose names start
   * with the same text are not counted.
   */
  static Map<String, Double> sumBy(String prometheusText, String metric, String label) {
    Map<String, Double> sums = new TreeMap<>();
    String needle = label + "=\"";
    for (String line : prometheusText.split("\n")) {
      if (!line.startsWith(metric + "{")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      int at = line.indexOf(needle);
      if (close < 0 || at < 0 || at > close) {
        continue;
      }
      int from = at + needle.length();
      String key = line.substring(from, line.indexOf('"', from));
      String[] rest = line.substring(close + 1).trim().split("\\s+");
      sums.merge(key, Double.parseDouble(rest[0]), Double::sum);
    }
    return sums;
  }

  /**
   * CPU time, in clock ticks, that a process has used (user + system: fields 14 and 15 of {@code
   * /proc/<pid>/stat}, counted after the command name, which may hold spaces and parentheses).
   */
  static long cpuTicks(String statLine) {
    String[] f = statLine.substring(statLine.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state): field k is f[k - 3]
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Which of our processes a command line is, or null: the main class tells them apart. */
  static String role(String commandLine) {
    if (commandLine.contains("org.abtest.node.Main")) {
      return "node";
    }
    if (commandLine.contains("kafka.Kafka")) {
      return "kafka";
    }
    if (commandLine.contains("org.apache.cassandra.service.CassandraDaemon")) {
      return "cassandra";
    }
    return null;
  }
}
