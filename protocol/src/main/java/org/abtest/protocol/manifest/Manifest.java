package org.abtest.protocol.manifest;

import java.util.List;
import org.abtest.protocol.CborSerializable;
import org.abtest.protocol.experiment.Experiment;

/**
 * What an evaluator needs to assign units, as one immutable, versioned snapshot. The server's
 * evaluators and the local SDK evaluate the same manifest with the same function.
 */
public record Manifest(long version, List<Experiment> experiments) implements CborSerializable {

  public static final Manifest EMPTY = new Manifest(0, List.of());

  public Manifest {
    experiments = List.copyOf(experiments);
  }
}
