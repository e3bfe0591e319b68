package org.abtest.protocol.experiment;

import java.time.Instant;
import java.util.List;
import org.abtest.protocol.CborSerializable;

/**
 * An experiment as stored and as the admin API shows it. The definition fields come from the
 * creator; {@code salt}, {@code status}, {@code version} and {@code createdAt} are the system's.
 */
public record Experiment(
    String key,
    String name,
    int coverage,
    List<Variant> variants,
    String salt,
    ExperimentStatus status,
    long version,
    Instant createdAt)
    implements CborSerializable {

  public Experiment {
    variants = List.copyOf(variants);
  }

  public Experiment withStatus(ExperimentStatus newStatus) {
    return new Experiment(key, name, coverage, variants, salt, newStatus, version + 1, createdAt);
  }
}
