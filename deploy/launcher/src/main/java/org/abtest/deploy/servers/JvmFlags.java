package org.abtest.deploy.servers;

import java.util.List;

/** JVM flags shared by the server launchers. */
public final class JvmFlags {

  /**
   * C1 only. The servers we start serve small dev and test workloads and spend most of their life
   * starting up; on a 2-core machine this cut Cassandra's start from ~27 s to ~17 s and Kafka's
   * from ~19 s to ~10 s. Benchmarks that need peak throughput pass {@link #NONE}.
   */
  public static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1");

  public static final List<String> NONE = List.of();

  /**
   * Every node JVM. An OutOfMemoryError leaves a JVM whose threads may have died one by one (a
   * Kafka client's, a scheduler's) while it still answers health checks; exiting at once instead
   * lets whatever supervises the process (the launcher, Kubernetes) start a clean one.
   */
  public static final List<String> NODE = List.of("-XX:+ExitOnOutOfMemoryError");

  private JvmFlags() {}
}
