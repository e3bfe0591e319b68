package org.abtest.benchmarks;

import java.util.List;

/**
 * One SDK evaluating the scenario locally. {@link #evaluateAll} does what a server does per
 * request: build the user's attributes in the SDK's own form, then ask for every experiment; it
 * returns how many the user is in, so nothing can be optimised away.
 */
interface Implementation extends AutoCloseable {

  String name();

  int evaluateAll(Scenario.User user);

  /** The variant key for one experiment, or null when the user is not in it (sanity check). */
  String variant(Scenario.User user, String experiment);

  List<Scenario.Spec> specs();

  @Override
  default void close() {}
}
