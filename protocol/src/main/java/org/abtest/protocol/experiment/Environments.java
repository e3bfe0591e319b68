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
}
