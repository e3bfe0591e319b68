package org.abtest.georeplication;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.Json;
import org.abtest.protocol.manifest.Manifest;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * The latest manifest per region in a CQL table of the journal's keyspace, as the API's JSON (so
 * operators can read it with cqlsh). Writes only ever raise the version: a lightweight condition
 * would cost a Paxos round per publication, so the publisher alone writes, in version order.
 */
public final class CassandraManifestStore implements ManifestStore {

  private final CassandraSession session;
  private final String table;
  private final CassandraSchema schema;

  /**
   * @param replication the CQL replication map of the keyspace, if this creates it
   * @param createTables true only in local and test config: production creates tables by migration
   */
  public CassandraManifestStore(
      CassandraSession session, String keyspace, String replication, boolean createTables) {
    this.session = session;
    this.table = keyspace + ".manifests";
    this.schema =
        new CassandraSchema(
            session,
            keyspace,
            replication,
            "CREATE TABLE IF NOT EXISTS "
                + table
                + " (region text PRIMARY KEY, version bigint, manifest text)",
            createTables);
  }

  @Override
  public CompletionStage<Optional<Manifest>> load(String region) {
    return schema
        .ready()
        .thenCompose(
            done ->
                session.selectOne("SELECT manifest FROM " + table + " WHERE region = ?", region))
        .thenApply(row -> row.map(r -> read(r.getString("manifest"))));
  }

  @Override
  public CompletionStage<Void> save(String region, Manifest manifest) {
    String json;
    try {
      json = Json.mapper().writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return schema
        .ready()
        .thenCompose(
            done ->
                session.executeWrite(
                    "INSERT INTO " + table + " (region, version, manifest) VALUES (?, ?, ?)",
                    region,
                    manifest.version(),
                    json))
        .thenApply(done -> null);
  }

  private static Manifest read(String json) {
    try {
      return Json.mapper().readValue(json, Manifest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored manifest does not read: " + e.getMessage(), e);
    }
  }
}
