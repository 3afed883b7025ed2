package io.wingu.controlplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy a test can cut and restore, to make a server "go away and come back" without
 * restarting it (kube-api-test's server would come back empty and on another port).
 */
public final class TcpProxy implements AutoCloseable {

  private final int port;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;

  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.port = FreePort.find();
    restore();
  }

  public int port() {
    return port;
  }

  /** Stops listening and drops every open connection. */
  public synchronized void cut() throws IOException {
    if (listener != null) {
      listener.close();
      listener = null;
    }
    for (Socket s : sockets) {
      s.close();
    }
    sockets.clear();
  }

  /** Listens again on the same port. */
  public synchronized void restore() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket ss = new ServerSocket();
    ss.setReuseAddress(true);
    ss.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    listener = ss;
    Thread.ofVirtual().start(() -> accept(ss));
  }

  private void accept(ServerSocket ss) {
    while (!ss.isClosed()) {
      try {
        Socket client = ss.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        Thread.ofVirtual().start(() -> pump(client, upstream));
        Thread.ofVirtual().start(() -> pump(upstream, client));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16384];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // one side closed: close the other below
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // already closed
      }
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
