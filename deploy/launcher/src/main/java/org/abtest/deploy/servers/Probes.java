package org.abtest.deploy.servers;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Dependency-free checks that a server really speaks its protocol, not just that a port is open.
 * The launcher must stay free of client libraries (the Kafka broker and the node need different
 * kafka-clients versions), so these write the few bytes of one request by hand.
 */
public final class Probes {

  private static final int TIMEOUT_MS = 2_000;

  private Probes() {}

  /** Whether a TCP connection to {@code host:port} succeeds. */
  public static boolean acceptsTcp(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends a CQL native protocol v4 OPTIONS frame and expects SUPPORTED back: the server has
   * finished starting its native transport and answers requests.
   */
  public static boolean cqlAnswers(String host, int port) {
    try (Socket socket = connect(host, port)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeByte(0x04); // request, protocol v4
      out.writeByte(0); // flags
      out.writeShort(1); // stream id
      out.writeByte(0x05); // OPTIONS
      out.writeInt(0); // empty body
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int version = in.readUnsignedByte();
      in.readUnsignedByte(); // flags
      in.readShort(); // stream id
      int opcode = in.readUnsignedByte();
      return version == 0x84 && opcode == 0x06; // response v4, SUPPORTED
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends a Kafka ApiVersions v0 request and expects error code 0: the broker accepts client
   * requests (the controller alone would not answer on the broker port).
   */
  public static boolean kafkaAnswers(String host, int port) {
    try (Socket socket = connect(host, port)) {
      byte[] clientId = "abtest-probe".getBytes(StandardCharsets.UTF_8);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(2 + 2 + 4 + 2 + clientId.length); // size of what follows
      out.writeShort(18); // ApiVersions
      out.writeShort(0); // version 0: no tagged fields, simplest to write by hand
      out.writeInt(42); // correlation id
      out.writeShort(clientId.length);
      out.write(clientId);
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int size = in.readInt();
      int correlationId = in.readInt();
      short errorCode = in.readShort();
      return size > 6 && correlationId == 42 && errorCode == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static Socket connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }
}
