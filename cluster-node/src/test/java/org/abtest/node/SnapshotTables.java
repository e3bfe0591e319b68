package org.abtest.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abtest.deploy.testing.RealServers;

/**
 * The unit-state snapshot tables of one test keyspace, read and tampered with straight through CQL
 * (as a crash, a lost chunk or an old layout would leave them), and the node's metrics by name.
 */
final class SnapshotTables implements AutoCloseable {

  /** A partition's head row. */
  record Head(int partition, long generation, long nextOffset) {}

  private final CqlSession session;
  private final String keyspace;
  private final String topic;

  SnapshotTables(String keyspace, String topic) {
    RealServers.Endpoints servers = RealServers.endpoints();
    this.session =
        CqlSession.builder()
            .addContactPoint(
                new InetSocketAddress(servers.cassandraHost(), servers.cassandraPort()))
            .withLocalDatacenter(servers.datacenter())
            .build();
    this.keyspace = keyspace;
    this.topic = topic;
  }

  /** The heads of the topic's partitions, by partition. */
  Map<Integer, Head> heads() {
    Map<Integer, Head> heads = new TreeMap<>();
    for (Row r : session.execute("SELECT * FROM " + keyspace + ".unit_state_head")) {
      if (r.getString("topic").equals(topic)) {
        heads.put(
            r.getInt("partition"),
            new Head(r.getInt("partition"), r.getLong("generation"), r.getLong("next_offset")));
      }
    }
    return heads;
  }

  /** Every (partition, generation) that has chunk rows. */
  Set<String> chunkSets() {
    Set<String> sets = new TreeSet<>();
    for (Row r :
        session.execute(
            "SELECT DISTINCT topic, partition, generation FROM "
                + keyspace
                + ".unit_state_chunks")) {
      if (r.getString("topic").equals(topic)) {
        sets.add(r.getInt("partition") + "/" + r.getLong("generation"));
      }
    }
    return sets;
  }

  /** The chunk sets the heads name, in the form of {@link #chunkSets()}. */
  Set<String> headSets() {
    Set<String> sets = new TreeSet<>();
    heads().values().forEach(h -> sets.add(h.partition() + "/" + h.generation()));
    return sets;
  }

  /** What a writer that died after its first chunk leaves: a registered set no head names. */
  void plantOrphan(int partition, long generation, Instant started) {
    session.execute(
        SimpleStatement.newInstance(
            "INSERT INTO "
                + keyspace
                + ".unit_state_writes (topic, partition, generation, started_at)"
                + " VALUES (?, ?, ?, ?)",
            topic,
            partition,
            generation,
            started));
    session.execute(
        SimpleStatement.newInstance(
            "INSERT INTO "
                + keyspace
                + ".unit_state_chunks (topic, partition, generation, chunk, data)"
                + " VALUES (?, ?, ?, 0, ?)",
            topic,
            partition,
            generation,
            ByteBuffer.wrap(new byte[] {0, 0, 0, 4})));
  }

  /** Overwrites the first chunk of the partition's head with a layout no codec knows (99). */
  void corruptHead(int partition) {
    Head head = heads().get(partition);
    session.execute(
        SimpleStatement.newInstance(
            "UPDATE "
                + keyspace
                + ".unit_state_chunks SET data = ? WHERE topic = ? AND partition = ?"
                + " AND generation = ? AND chunk = 0",
            ByteBuffer.wrap(new byte[] {0, 0, 0, 99, 1, 2, 3}),
            topic,
            partition,
            head.generation()));
  }

  /** The value of one sample in Prometheus text, 0 when absent. */
  static double metric(String text, String name, String labels) {
    String series = labels.isEmpty() ? name : name + "{" + labels + "}";
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(text);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Override
  public void close() {
    session.close();
  }
}
