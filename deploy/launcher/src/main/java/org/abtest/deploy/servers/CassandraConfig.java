package org.abtest.deploy.servers;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One Cassandra node on loopback, and the files it is started with.
 *
 * <p>A node is single-node when its only seed is itself; only then does the launcher shorten the
 * ring delay (with several nodes that makes each evict the other, see STACK.md).
 *
 * @param datacenter {@code null} for {@code SimpleSnitch} (data center "datacenter1"); a name for
 *     {@code GossipingPropertyFileSnitch} with a {@code cassandra-rackdc.properties}
 * @param initialToken {@code null} to let Cassandra choose
 * @param heap the {@code -Xmx} value, e.g. "512m"
 * @param extraJvmArgs appended to the JVM flags; see {@link JvmFlags#QUICK_START}
 */
public record CassandraConfig(
    Path dataDir,
    String clusterName,
    String host,
    int cqlPort,
    int storagePort,
    int sslStoragePort,
    int jmxPort,
    List<String> seeds,
    String datacenter,
    String rack,
    String initialToken,
    String heap,
    List<String> extraJvmArgs) {

  public static final String DEFAULT_DATACENTER = "datacenter1";

  public CassandraConfig {
    dataDir = dataDir.toAbsolutePath().normalize();
    seeds = List.copyOf(seeds);
    extraJvmArgs = List.copyOf(extraJvmArgs);
  }

  /** A single node on 127.0.0.1 with the local-development ports. */
  public static CassandraConfig singleNode(Path dataDir) {
    return new CassandraConfig(
        dataDir,
        "abtest",
        "127.0.0.1",
        19042,
        17000,
        17001,
        17199,
        List.of("127.0.0.1"),
        null,
        "rack1",
        null,
        "512m",
        JvmFlags.QUICK_START);
  }

  public CassandraConfig withHost(String newHost) {
    // a lone node seeds itself; keep that true when it moves to another loopback address
    List<String> newSeeds = isSingleNode() ? List.of(newHost) : seeds;
    return new CassandraConfig(
        dataDir,
        clusterName,
        newHost,
        cqlPort,
        storagePort,
        sslStoragePort,
        jmxPort,
        newSeeds,
        datacenter,
        rack,
        initialToken,
        heap,
        extraJvmArgs);
  }

  public CassandraConfig withPorts(int cql, int storage, int sslStorage, int jmx) {
    return new CassandraConfig(
        dataDir,
        clusterName,
        host,
        cql,
        storage,
        sslStorage,
        jmx,
        seeds,
        datacenter,
        rack,
        initialToken,
        heap,
        extraJvmArgs);
  }

  public CassandraConfig withSeeds(List<String> newSeeds) {
    return new CassandraConfig(
        dataDir,
        clusterName,
        host,
        cqlPort,
        storagePort,
        sslStoragePort,
        jmxPort,
        newSeeds,
        datacenter,
        rack,
        initialToken,
        heap,
        extraJvmArgs);
  }

  public CassandraConfig withDatacenter(String dc, String newRack) {
    return new CassandraConfig(
        dataDir,
        clusterName,
        host,
        cqlPort,
        storagePort,
        sslStoragePort,
        jmxPort,
        seeds,
        dc,
        newRack,
        initialToken,
        heap,
        extraJvmArgs);
  }

  public CassandraConfig withInitialToken(String token) {
    return new CassandraConfig(
        dataDir,
        clusterName,
        host,
        cqlPort,
        storagePort,
        sslStoragePort,
        jmxPort,
        seeds,
        datacenter,
        rack,
        token,
        heap,
        extraJvmArgs);
  }

  public CassandraConfig withHeap(String newHeap) {
    return new CassandraConfig(
        dataDir,
        clusterName,
        host,
        cqlPort,
        storagePort,
        sslStoragePort,
        jmxPort,
        seeds,
        datacenter,
        rack,
        initialToken,
        newHeap,
        extraJvmArgs);
  }

  public CassandraConfig withExtraJvmArgs(List<String> args) {
    return new CassandraConfig(
        dataDir,
        clusterName,
        host,
        cqlPort,
        storagePort,
        sslStoragePort,
        jmxPort,
        seeds,
        datacenter,
        rack,
        initialToken,
        heap,
        args);
  }

  public boolean isSingleNode() {
    return seeds.size() == 1 && seeds.get(0).equals(host);
  }

  /** The data center clients must name as local. */
  public String datacenterName() {
    return Optional.ofNullable(datacenter).orElse(DEFAULT_DATACENTER);
  }

  /** "host:port" of the CQL native transport. */
  public String contactPoint() {
    return host + ":" + cqlPort;
  }

  public Path logDir() {
    return dataDir.resolve("logs");
  }

  /** Logback writes INFO here; the readiness check reads it. */
  public Path systemLog() {
    return logDir().resolve("system.log");
  }

  /** stdout and stderr of the JVM: WARN and above, and anything the JVM itself prints. */
  public Path consoleLog() {
    return logDir().resolve("console.log");
  }
}
