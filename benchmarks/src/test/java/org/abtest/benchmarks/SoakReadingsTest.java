package org.abtest.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SoakReadingsTest {

  private static final String SCRAPE =
      """
      # HELP abtest_unit_state_bytes Heap bytes of a partition's unit state, per structure
      # TYPE abtest_unit_state_bytes gauge
      abtest_unit_state_bytes{partition="0",structure="units"} 1000.0
      abtest_unit_state_bytes{partition="1",structure="units"} 2.5E3
      abtest_unit_state_bytes{partition="0",structure="held"} 64.0
      abtest_unit_state_bytes_total_other{partition="0",structure="units"} 99.0
      abtest_unit_state_budget_bytes{partition="0",structure="units"} 268435456
      abtest_unit_state_entries{partition="0",structure="units"} 20.0
      """;

  @Test
  void sumsOneMetricByALabelOverItsOtherLabels() {
    assertThat(SoakReadings.sumBy(SCRAPE, "abtest_unit_state_bytes", "structure"))
        .containsOnlyKeys("units", "held")
        .containsEntry("units", 3500.0)
        .containsEntry("held", 64.0);
  }

  @Test
  void aMetricAbsentFromTheScrapeSumsToNothing() {
    assertThat(SoakReadings.sumBy(SCRAPE, "abtest_memory_pressure", "structure")).isEmpty();
  }

  @Test
  void cpuTicksAreUserPlusSystemEvenWhenTheCommandNameHasSpacesAndParentheses() {
    // fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
    //         utime stime ...
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 1234 567 8 9 20 0 42";
    assertThat(SoakReadings.cpuTicks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void theMainClassTellsTheNodeKafkaAndCassandraApart() {
    assertThat(SoakReadings.role("java -Xmx1g -cp a.jar org.abtest.node.Main")).isEqualTo("node");
    assertThat(SoakReadings.role("java -cp k.jar kafka.Kafka /d/server.properties"))
        .isEqualTo("kafka");
    assertThat(SoakReadings.role("java org.apache.cassandra.service.CassandraDaemon"))
        .isEqualTo("cassandra");
    assertThat(SoakReadings.role("java -jar benchmarks.jar")).isNull();
  }
}
