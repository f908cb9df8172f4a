package io.taskcenter.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import io.taskcenter.support.TestWorker.Close;

/**
 * Sends one unfragmented text frame, written by hand: WebSocket clients split large messages into frames of
 * their own choosing, so only this reaches the server's frame-size limit.
 */
public final class RawFrame {

    private static final int ABNORMAL = 1006;

    private RawFrame() {
    }

    /**
     * Upgrades to {@code push} (offering {@code subprotocol} unless null), sends {@code payload} as one frame, and
     * returns the close frame the service answers with; 1006 if it drops the connection without one.
     */
    public static Close sendAndAwaitClose(URI push, String subprotocol, String payload) {
        try (Socket socket = new Socket(push.getHost(), push.getPort())) {
            socket.setSoTimeout((int) TestWorker.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + push.getPath() + " HTTP/1.1\r\nHost: " + push.getHost() + ":" + push.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            skipHeaders(in);
            out.write(maskedTextFrame(payload.getBytes(StandardCharsets.UTF_8)));
            out.flush();
            return awaitClose(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void skipHeaders(DataInputStream in) throws IOException {
        int newlines = 0;
        while (newlines < 2) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("the upgrade was not answered");
            }
            newlines = c == '\n' ? newlines + 1 : c == '\r' ? newlines : 0;
        }
    }

    private static Close awaitClose(DataInputStream in) throws IOException {
        try {
            while (true) {
                int opcode = in.readUnsignedByte() & 0x0f;
                long length = in.readUnsignedByte() & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] body = new byte[(int) length];
                in.readFully(body);
                if (opcode == 0x8) {
                    int code = body.length >= 2 ? (body[0] & 0xff) << 8 | (body[1] & 0xff) : 1005;
                    String reason = body.length > 2 ? new String(body, 2, body.length - 2, StandardCharsets.UTF_8) : "";
                    return new Close(code, reason);
                }
            }
        } catch (EOFException | SocketException e) {
            return new Close(ABNORMAL, "");
        }
    }

    private static byte[] maskedTextFrame(byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }
}
