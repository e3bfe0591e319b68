package org.abtest.deploy.servers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a server's ports are free before it starts. Without this, a second Cassandra on a
 * taken port dies after ten seconds with a bind error deep in its log; we prefer one clear line.
 */
public final class Ports {

  private Ports() {}

  /** Thrown when a port is taken; the message names the server, the role and the port. */
  public static final class PortInUseException extends IllegalStateException {
    PortInUseException(String message) {
      super(message);
    }
  }

  /**
   * Whether nothing listens on {@code host:port}. Binding is the same test the server will make, so
   * it also catches a listener on 0.0.0.0 that a connect to 127.0.0.1 might not reveal.
   */
  public static boolean isFree(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // like the servers themselves, so a port in TIME_WAIT after a restart still counts as free
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Fails with one message listing every taken port of {@code server}.
   *
   * @param ports role name ("CQL", "storage") to port number, in the order to report them
   */
  public static void requireFree(String server, String host, Map<String, Integer> ports) {
    List<String> taken = new ArrayList<>();
    ports.forEach(
        (role, port) -> {
          if (!isFree(host, port)) {
            taken.add(role + " port " + host + ":" + port);
          }
        });
    if (!taken.isEmpty()) {
      throw new PortInUseException(
          "Cannot start "
              + server
              + ": "
              + String.join(", ", taken)
              + (taken.size() == 1 ? " is" : " are")
              + " already in use (another instance still running? see `ss -ltnp`)");
    }
  }

  /** Convenience for building the ordered map that {@link #requireFree} takes. */
  public static Map<String, Integer> named(Object... roleAndPort) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < roleAndPort.length; i += 2) {
      map.put((String) roleAndPort[i], (Integer) roleAndPort[i + 1]);
    }
    return map;
  }
}
