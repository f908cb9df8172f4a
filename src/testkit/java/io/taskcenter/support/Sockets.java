package io.taskcenter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Ports and URLs for the sockets tests open. */
public final class Sockets {

    private Sockets() {
    }

    public static URI ws(URI http) {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }

    /**
     * A free port below the kernel's ephemeral range, for a listener a test stops and starts again (a cut proxy,
     * a restarted service). A port inside the range can be taken meanwhile by a client reconnecting to it: on
     * loopback a connect to a port nobody listens on may pick that same port as its source and connect to itself,
     * and then nothing can listen there again.
     */
    public static int freePort() {
        int ephemeralLow = 32768;
        try {
            ephemeralLow = Integer.parseInt(
                    Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            // Not Linux, or unreadable: the usual default.
        }
        int low = Math.max(1024, ephemeralLow - 12_000);
        for (int attempt = 0; attempt < 100 && low < ephemeralLow; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(low, ephemeralLow);
            try (ServerSocket socket = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return candidate;
            } catch (IOException taken) {
                // Try another.
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
