package org.abtest.analytics.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.events.TrackedEventCodec;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.DefaultRecord;
import org.apache.kafka.common.record.DefaultRecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.kafka.ProducerSettings;

/**
 * Writes accepted events to Kafka, keyed by unit id so one unit's events stay ordered on one
 * partition. The returned stage completes only when the broker has acknowledged every record
 * (acks=all, idempotent producer), which is what lets the API answer 202. One callback counts a
 * request's acknowledgements down, instead of a future per record: a batch of 1000 events had cost
 * 1000 promises and their combination, about a twentieth of the node's CPU under load.
 *
 * <p>{@code producer.send} may block (for metadata, or for room in its buffer) up to {@code
 * max.block.ms}, so it runs on the blocking dispatcher, never on the caller's (a route's) thread.
 * What is handed over but not yet acknowledged is bounded in bytes: past half the producer's {@code
 * buffer.memory} a batch fails at once with {@link Overloaded}, before it would wait for room.
 */
public final class EventPublisher {

  /** The producer is holding as many bytes as it may: retry shortly. */
  public static final class Overloaded extends RuntimeException {
    Overloaded(long inflight, long budget) {
      super(inflight + " bytes of events await Kafka, the budget is " + budget, null, false, false);
    }
  }

  private final Producer<String, byte[]> producer;
  private final String topic;
  private final Executor sender;
  private final long budgetBytes;
  private final int maxRecordBytes;
  private final AtomicLong inflight = new AtomicLong();

  EventPublisher(
      Producer<String, byte[]> producer,
      String topic,
      Executor sender,
      long budgetBytes,
      int maxRecordBytes) {
    this.producer = producer;
    this.topic = topic;
    this.sender = sender;
    this.budgetBytes = budgetBytes;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** Producer settings come from {@code pekko.kafka.producer} (see kafka.conf). */
  public static EventPublisher create(ActorSystem<?> system, String bootstrap, String topic) {
    ProducerSettings<String, byte[]> settings =
        ProducerSettings.create(system, new StringSerializer(), new ByteArraySerializer())
            .withBootstrapServers(bootstrap)
            .withProperty("acks", "all")
            .withProperty("enable.idempotence", "true");
    return new EventPublisher(
        settings.createKafkaProducer(),
        topic,
        system.dispatchers().lookup(DispatcherSelector.blocking()),
        producerSetting(settings::getProperty, ProducerConfig.BUFFER_MEMORY_CONFIG) / 2,
        recordLimit(
            producerSetting(settings::getProperty, ProducerConfig.MAX_REQUEST_SIZE_CONFIG)));
  }

  /** A numeric producer setting as configured, or Kafka's own default for it. */
  static long producerSetting(UnaryOperator<String> configured, String name) {
    String value = configured.apply(name);
    if (value != null) {
      return Long.parseLong(value.trim());
    }
    return ((Number) ProducerConfig.configDef().defaultValues().get(name)).longValue();
  }

  /**
   * The largest key plus value that one record may have under {@code max.request.size}, which the
   * producer applies to the record with its batch framing (the topic's {@code max.message.bytes}, 1
   * MiB + 12 by default, is larger than the producer's default 1 MiB).
   */
  static int recordLimit(long maxRequestSize) {
    return (int)
        (maxRequestSize
            - DefaultRecordBatch.RECORD_BATCH_OVERHEAD
            - DefaultRecord.MAX_RECORD_OVERHEAD);
  }

  /** Key plus value bytes of one record at most; larger events are refused before they come. */
  public int maxRecordBytes() {
    return maxRecordBytes;
  }

  /** Bytes handed to the producer and not yet acknowledged or failed. */
  public long inflightBytes() {
    return inflight.get();
  }

  /** Completes when Kafka has acknowledged every event, or fails with the first error. */
  public CompletionStage<Done> publish(List<TrackedEvent> events) {
    CompletableFuture<Done> acked = new CompletableFuture<>();
    if (events.isEmpty()) {
      acked.complete(Done.getInstance());
      return acked;
    }
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
    long bytes = 0;
    for (TrackedEvent event : events) {
      byte[] value = TrackedEventCodec.write(event);
      bytes += value.length + event.unit().getBytes(StandardCharsets.UTF_8).length;
      records.add(new ProducerRecord<>(topic, event.unit(), value));
    }
    if (!reserve(bytes)) {
      acked.completeExceptionally(new Overloaded(inflight.get(), budgetBytes));
      return acked;
    }
    long reserved = bytes;
    // the caller sees the outcome only once the room is free again
    CompletionStage<Done> released =
        acked.whenComplete((done, error) -> inflight.addAndGet(-reserved));
    try {
      sender.execute(() -> send(records, acked));
    } catch (RejectedExecutionException e) {
      acked.completeExceptionally(e);
    }
    return released;
  }

  /** Takes room for {@code bytes}; a batch alone always gets it, so none waits forever. */
  private boolean reserve(long bytes) {
    while (true) {
      long current = inflight.get();
      if (current > 0 && current + bytes > budgetBytes) {
        return false;
      }
      if (inflight.compareAndSet(current, current + bytes)) {
        return true;
      }
    }
  }

  private void send(List<ProducerRecord<String, byte[]>> records, CompletableFuture<Done> acked) {
    AtomicInteger pending = new AtomicInteger(records.size());
    Callback callback =
        (metadata, error) -> {
          if (error != null) {
            acked.completeExceptionally(error);
          } else if (pending.decrementAndGet() == 0) {
            acked.complete(Done.getInstance());
          }
        };
    for (ProducerRecord<String, byte[]> record : records) {
      try {
        producer.send(record, callback);
      } catch (RuntimeException e) {
        // Metadata not available in max.block.ms, a closed producer: the batch is not stored.
        acked.completeExceptionally(e);
        break;
      }
    }
  }

  /** Sends what is buffered and closes, off the caller's thread. */
  public CompletionStage<Done> close() {
    return CompletableFuture.supplyAsync(
        () -> {
          producer.close(Duration.ofSeconds(10));
          return Done.getInstance();
        });
  }
}
