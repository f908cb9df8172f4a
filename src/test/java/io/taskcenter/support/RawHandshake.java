package io.taskcenter.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A WebSocket opening handshake written by hand, to see the HTTP answer to a refused upgrade (status and JSON
 * body), which WebSocket clients hide. The socket is closed right after the answer.
 */
public final class RawHandshake {

    public record Answer(int status, String body) {
    }

    private RawHandshake() {
    }

    public static Answer upgrade(URI push, Map<String, String> headers) {
        try (Socket socket = new Socket(push.getHost(), push.getPort())) {
            socket.setSoTimeout((int) TestWorker.TIMEOUT.toMillis());
            StringBuilder request = new StringBuilder("GET " + push.getPath() + " HTTP/1.1\r\n")
                    .append("Host: ").append(push.getHost()).append(':').append(push.getPort()).append("\r\n")
                    .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                    .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new Answer(status, new String(body, 0, read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
