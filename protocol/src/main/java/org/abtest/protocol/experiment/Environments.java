package org.abtest.protocol.experiment;

import java.util.List;
import java.util.Map;

/**
 * The environments SDK keys are issued for, and how an experiment's per-environment settings read.
 * An experiment without settings ({@code environments} null) runs in every environment as defined;
 * with settings, it runs only in the environments they enable, each with its own coverage when one
 * is given. The environments an experiment may name are the registry's ({@code GET
 * /v1/environments}): {@link #DEFAULTS} and the ones an admin added.
 */
public final class Environments {

  /** The environment of a credential that names none, of results asked without one. */
  public static final String DEFAULT = "production";

  /** Every registry has these; they cannot be removed. */
  public static final List<String> DEFAULTS = List.of("development", "staging", DEFAULT);

  /** Most environments of one registry, defaults included: each one is a manifest view per node. */
  public static final int MAX = 32;

  private Environments() {}

  /** The environment a credential's {@code environment} stands for (none: {@link #DEFAULT}). */
  public static String of(String named) {
    return named == null || named.isEmpty() ? DEFAULT : named;
  }

  /** Whether an experiment with {@code settings} (null: none) runs in {@code environment}. */
  public static boolean enabled(Map<String, EnvironmentSetting> settings, String environment) {
    if (settings == null) {
      return true;
    }
    EnvironmentSetting s = settings.get(environment);
    return s != null && s.enabled();
  }

  /** The coverage an experiment of {@code coverage} has in {@code environment}. */
  public static int coverage(
      int coverage, Map<String, EnvironmentSetting> settings, String environment) {
    if (settings == null) {
      return coverage;
    }
    EnvironmentSetting s = settings.get(environment);
    return s == null || s.coverage() == null ? coverage : s.coverage();
  }

  /**
   * Separates an experiment key from an environment in a results key: never in a key ({@code
   * JsonFields.KEY} allows {@code [a-z0-9._-]}).
   */
  public static final char RESULTS_SEPARATOR = '@';

  /**
   * The key an experiment's results in {@code environment} are aggregated and asked for under: the
   * experiment's own key in {@link #DEFAULT} (so production's results are where they always were),
   * {@code experiment@environment} in any other. Unit state, the aggregators and the results
   * documents all key by it, so each environment's traffic has results of its own and never moves
   * another's.
   */
  public static String resultsKey(String experiment, String environment) {
    return environment == null || environment.equals(DEFAULT)
        ? experiment
        : experiment + RESULTS_SEPARATOR + environment;
  }

  /** The experiment a {@link #resultsKey} is of. */
  public static String experimentOf(String resultsKey) {
    int at = resultsKey.indexOf(RESULTS_SEPARATOR);
    return at < 0 ? resultsKey : resultsKey.substring(0, at);
  }

  /** The environment a {@link #resultsKey} is of. */
  public static String environmentOf(String resultsKey) {
    int at = resultsKey.indexOf(RESULTS_SEPARATOR);
    return at < 0 ? DEFAULT : resultsKey.substring(at + 1);
  }

  /** Whether a {@link #resultsKey} is of production's traffic (the one guardrails act on). */
  public static boolean ofDefault(String resultsKey) {
    return resultsKey.indexOf(RESULTS_SEPARATOR) < 0;
  }

  /**
   * The id a unit is counted under in {@code environment}: its own in {@link #DEFAULT}, else the
   * environment and the unit together, so a unit of staging and the same id in production are two
   * units (their events never meet in one unit's state).
   */
  public static String unitIn(String unit, String environment) {
    return environment == null || environment.equals(DEFAULT)
        ? unit
        : environment + '\u0000' + unit;
  }
}
