package dev.lightd.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebSocket handshake by hand, for what java.net.http cannot do: read a refused upgrade's
 * answer, or hold a socket with a small receive buffer that reads slowly or not at all.
 */
final class RawWebSocket {

    private RawWebSocket() {}

    /** Upgrades {@code path} on the port and answers what the daemon sent: the 101 head, or a refusal's head and body. */
    static String answer(int port, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = handshake(s, path);
            String head = head(in);
            if (head.startsWith("HTTP/1.1 101")) {
                return head;
            }
            var length = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
            byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }

    /** An upgraded socket with the given receive buffer, its answer's head read (byte by byte: nothing after it). */
    static Socket open(int port, String path, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBufferBytes);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        String head = head(handshake(s, path));
        assertThat(head).as("upgrade of " + path).startsWith("HTTP/1.1 101");
        return s;
    }

    /** One frame from the server (never masked): FIN, opcode and payload; null when the connection ended. */
    record Frame(boolean fin, int opcode, byte[] payload) {
        static final int CONTINUATION = 0x0;
        static final int TEXT = 0x1;
        static final int CLOSE = 0x8;
    }

    static Frame read(InputStream in) throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.read();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (in.read() << 8) | in.read();
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | in.read();
            }
        }
        return new Frame((b0 & 0x80) != 0, b0 & 0x0f, in.readNBytes((int) len));
    }

    /** The body of an {@link #answer}. */
    static String body(String answer) {
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private static InputStream handshake(Socket s, String path) throws IOException {
        var out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s.getInputStream();
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
