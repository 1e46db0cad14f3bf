package io.seckill.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Free TCP ports on 127.0.0.1. */
public final class Ports {

  /*
   * A port handed out earlier may be unbound for a while (a server being restarted on it), so the
   * kernel could offer it again; remembering what this JVM gave out keeps two servers off one port.
   */
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private Ports() {}

  public static int free() {
    return free(1).get(0);
  }

  /**
   * {@code count} distinct ports; all sockets stay open until the last is found so none repeats.
   */
  public static synchronized List<Integer> free(int count) {
    List<ServerSocket> held = new ArrayList<>();
    List<Integer> ports = new ArrayList<>();
    try {
      while (ports.size() < count) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(socket);
        int port = socket.getLocalPort();
        if (HANDED_OUT.add(port)) {
          ports.add(port);
        }
      }
      return List.copyOf(ports);
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // closing a probe socket cannot matter
        }
      }
    }
  }
}
