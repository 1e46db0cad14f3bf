package io.seckill.worker;

import io.seckill.platform.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder that a test can cut: open connections are closed and new ones are
 * dropped at once, which is what a client sees when its database restarts or the network between
 * them fails.
 */
final class TcpProxy implements AutoCloseable {
  private final NetServer server;
  private final NetClient client;
  private final Set<NetSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean cut;

  private TcpProxy(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  static TcpProxy start(Vertx vertx, String targetHost, int targetPort) {
    NetClient client = vertx.createNetClient();
    NetServer server = vertx.createNetServer();
    TcpProxy proxy = new TcpProxy(server, client);
    server.connectHandler(
        in -> {
          if (proxy.cut) {
            in.close();
            return;
          }
          in.pause();
          client
              .connect(targetPort, targetHost)
              .onComplete(
                  ar -> {
                    if (ar.failed() || proxy.cut) {
                      in.close();
                      if (ar.succeeded()) ar.result().close();
                      return;
                    }
                    NetSocket out = ar.result();
                    proxy.open.add(in);
                    proxy.open.add(out);
                    in.closeHandler(
                        v -> {
                          proxy.open.remove(in);
                          out.close();
                        });
                    out.closeHandler(
                        v -> {
                          proxy.open.remove(out);
                          in.close();
                        });
                    in.pipeTo(out);
                    out.pipeTo(in);
                    in.resume();
                  });
        });
    Await.await(server.listen(0, "127.0.0.1"));
    return proxy;
  }

  int port() {
    return server.actualPort();
  }

  void cut() {
    cut = true;
    open.forEach(NetSocket::close);
  }

  void restore() {
    cut = false;
  }

  @Override
  public void close() {
    cut();
    Await.await(server.close());
    Await.await(client.close());
  }
}
