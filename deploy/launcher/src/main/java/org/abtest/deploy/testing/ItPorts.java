package org.abtest.deploy.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * Ports of the integration-test servers: a range of their own (2xxxx), so that tests run while
 * {@code LocalCluster up} (1xxxx) is running. Each can be moved with a system property.
 */
record ItPorts(int cql, int storage, int sslStorage, int jmx, int kafka, int kafkaController) {

  static final String PREFIX = "abtest.it.";

  static ItPorts fromSystemProperties() {
    return new ItPorts(
        Integer.getInteger(PREFIX + "cqlPort", 29042),
        Integer.getInteger(PREFIX + "storagePort", 27000),
        Integer.getInteger(PREFIX + "sslStoragePort", 27001),
        Integer.getInteger(PREFIX + "jmxPort", 27199),
        Integer.getInteger(PREFIX + "kafkaPort", 29092),
        Integer.getInteger(PREFIX + "kafkaControllerPort", 29093));
  }

  /** The same values as -D flags, to hand them on to the supervisor JVM. */
  List<String> asJvmFlags() {
    List<String> flags = new ArrayList<>();
    flags.add("-D" + PREFIX + "cqlPort=" + cql);
    flags.add("-D" + PREFIX + "storagePort=" + storage);
    flags.add("-D" + PREFIX + "sslStoragePort=" + sslStorage);
    flags.add("-D" + PREFIX + "jmxPort=" + jmx);
    flags.add("-D" + PREFIX + "kafkaPort=" + kafka);
    flags.add("-D" + PREFIX + "kafkaControllerPort=" + kafkaController);
    return flags;
  }
}
