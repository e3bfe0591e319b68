package org.abtest.node.credentials;

import com.datastax.dse.driver.api.core.cql.reactive.ReactiveResultSet;
import com.datastax.dse.driver.api.core.cql.reactive.ReactiveRow;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * A CassandraSession over a driver session that records every statement it is given and answers
 * with the rows the test supplies: enough to see what the credential store asks Cassandra, and at
 * which consistency, without a server. Only the calls the connector makes are answered.
 */
final class RecordingCassandra {

  final List<Statement<?>> executed = new CopyOnWriteArrayList<>();
  private final Function<String, List<Map<String, Object>>> rows;

  /** {@code rows}: the rows answered to a query, by its CQL text. */
  RecordingCassandra(Function<String, List<Map<String, Object>>> rows) {
    this.rows = rows;
  }

  CassandraSession session(ActorSystem<?> system) {
    CqlSession driver = proxy(CqlSession.class, this::driverCall);
    return new CassandraSession(
        system,
        ec -> scala.concurrent.Future.successful(driver),
        system.executionContext(),
        system.classicSystem().log(),
        "recording",
        session -> CompletableFuture.completedFuture(Done.getInstance()),
        () -> {});
  }

  /** The CQL of every statement recorded, in order. */
  List<String> queries() {
    return executed.stream()
        .map(s -> ((com.datastax.oss.driver.api.core.cql.SimpleStatement) s).getQuery())
        .toList();
  }

  private Object driverCall(String method, Object[] args) {
    switch (method) {
      case "getMetrics":
        return Optional.empty();
      case "closeAsync":
      case "forceCloseAsync":
        return CompletableFuture.completedFuture(null);
      case "executeAsync":
        return CompletableFuture.completedFuture(resultSet(record(args[0])));
      case "executeReactive":
        return publisher(record(args[0]));
      default:
        throw new UnsupportedOperationException("driver call " + method);
    }
  }

  private List<Map<String, Object>> record(Object statement) {
    Statement<?> s = (Statement<?>) statement;
    executed.add(s);
    return rows.apply(((com.datastax.oss.driver.api.core.cql.SimpleStatement) s).getQuery());
  }

  private static AsyncResultSet resultSet(List<Map<String, Object>> answer) {
    List<Row> page = new ArrayList<>();
    answer.forEach(r -> page.add(row(Row.class, r)));
    return proxy(
        AsyncResultSet.class,
        (method, args) ->
            switch (method) {
              case "currentPage" -> page;
              case "one" -> page.isEmpty() ? null : page.get(0);
              case "remaining" -> page.size();
              case "hasMorePages" -> false;
              case "wasApplied" -> true;
              default -> throw new UnsupportedOperationException("result set " + method);
            });
  }

  private static ReactiveResultSet publisher(List<Map<String, Object>> answer) {
    Iterator<Map<String, Object>> remaining = new ArrayList<>(answer).iterator();
    return proxy(
        ReactiveResultSet.class,
        (method, args) -> {
          if (!method.equals("subscribe")) {
            throw new UnsupportedOperationException("reactive result set " + method);
          }
          @SuppressWarnings("unchecked")
          Subscriber<? super ReactiveRow> subscriber = (Subscriber<? super ReactiveRow>) args[0];
          subscriber.onSubscribe(
              new Subscription() {
                private boolean done;

                @Override
                public synchronized void request(long n) {
                  for (long i = 0; i < n && remaining.hasNext(); i++) {
                    subscriber.onNext(row(ReactiveRow.class, remaining.next()));
                  }
                  if (!remaining.hasNext() && !done) {
                    done = true;
                    subscriber.onComplete();
                  }
                }

                @Override
                public void cancel() {}
              });
          return null;
        });
  }

  private static <R extends Row> R row(Class<R> type, Map<String, Object> values) {
    return proxy(
        type,
        (method, args) ->
            switch (method) {
              case "getString", "getInstant" -> values.get((String) args[0]);
              case "isNull" -> values.get((String) args[0]) == null;
              // the driver's reading of a missing (null) cell: false and 0
              case "getBoolean" -> Boolean.TRUE.equals(values.get((String) args[0]));
              case "getInt" -> values.get((String) args[0]) instanceof Integer i ? i : 0;
              default -> throw new UnsupportedOperationException("row " + method);
            });
  }

  private interface Call {
    Object apply(String method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, Call call) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (self, method, args) ->
                switch (method.getName()) {
                  case "toString" -> "recording " + type.getSimpleName();
                  case "hashCode" -> System.identityHashCode(self);
                  case "equals" -> self == args[0];
                  default -> call.apply(method.getName(), args);
                }));
  }
}
