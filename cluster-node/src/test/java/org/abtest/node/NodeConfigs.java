package org.abtest.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** The node's config as it starts: the given overrides over application.conf and reference.conf. */
public final class NodeConfigs {

  private NodeConfigs() {}

  public static Config load(String overrides) {
    ConfigFactory.invalidateCaches();
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
