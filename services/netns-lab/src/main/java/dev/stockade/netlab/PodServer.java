package dev.stockade.netlab;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The "container" of a test pod: answers every TCP connection and every UDP datagram on the given
 * ports with {@code id=<identity>\n}, so a probe knows it reached the right pod. Runs inside the
 * pod's netns ({@code ip netns exec}); exits after {@code lifetime} seconds at the latest, and as
 * soon as its stdin ends (the process that started it is gone, even by {@code kill -9}).
 * Needs nothing but the JDK: its classpath is the jar (or classes folder) it comes from.
 *
 * <p>Why not socat: socat's forking UDP listeners lose datagrams when several clients send at
 * once (the child shares the socket), and the conformance tables probe in parallel.
 *
 * <p>Usage: {@code PodServer <identity> <lifetime-seconds> <port>...}
 */
public final class PodServer {

    private PodServer() {
    }

    public static void main(String[] args) throws IOException {
        byte[] answer = ("id=" + args[0] + "\n").getBytes(StandardCharsets.UTF_8);
        long lifetimeMillis = Long.parseLong(args[1]) * 1000;
        for (int i = 2; i < args.length; i++) {
            int port = Integer.parseInt(args[i]);
            ServerSocket tcp = new ServerSocket();
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(port), 256);
            DatagramSocket udp = new DatagramSocket(port);
            daemon(() -> serveTcp(tcp, answer));
            daemon(() -> serveUdp(udp, answer));
        }
        daemon(PodServer::exitAtEndOfInput);
        System.out.println("ready");
        System.out.flush();
        try {
            Thread.sleep(lifetimeMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(0);
    }

    private static void exitAtEndOfInput() {
        try {
            while (System.in.read() >= 0) {
                // nothing is ever sent; only the end matters
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone as well
        }
        System.exit(0);
    }

    private static void serveTcp(ServerSocket server, byte[] answer) {
        while (true) {
            try (Socket connection = server.accept(); OutputStream out = connection.getOutputStream()) {
                out.write(answer);
                connection.shutdownOutput();
            } catch (IOException e) {
                // One failed connection (a reset, say) does not stop the server.
            }
        }
    }

    private static void serveUdp(DatagramSocket socket, byte[] answer) {
        byte[] buffer = new byte[512];
        while (true) {
            try {
                DatagramPacket request = new DatagramPacket(buffer, buffer.length);
                socket.receive(request);
                socket.send(new DatagramPacket(answer, answer.length, request.getSocketAddress()));
            } catch (IOException e) {
                // Keep serving.
            }
        }
    }

    private static void daemon(Runnable body) {
        Thread thread = new Thread(body);
        thread.setDaemon(true);
        thread.start();
    }
}
