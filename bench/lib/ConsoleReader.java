import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A console client of the bench and the drills (shared by WsLines.java and Soak.java through the
 * JDK's multi-file source launcher): a WebSocket on a raw socket that reads the daemon's frames and
 * counts the numbered lines "L<n>" of {"event":"console",...} messages; a gap in the numbers is a
 * lost line. A raw socket and a byte scan instead of java.net.http's WebSocket, so that with 100
 * clients the bench measures the daemon's delivery and not the client's: the JDK client spent more
 * CPU per message than the daemon did to send it.
 */
final class ConsoleReader implements Runnable {

    private static final byte[] CONSOLE = "{\"event\":\"console\"".getBytes(StandardCharsets.US_ASCII);

    final AtomicLong lines = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    /** Lines are counted (and gaps looked for) only while this is set; the numbers are followed always. */
    volatile boolean counting;
    private final Socket socket;
    private final Consumer<String> closed;
    private long last = -1;

    /** closed: told why, when the socket ends (a close frame, end of stream or an error). */
    ConsoleReader(URI uri, Consumer<String> closed) throws IOException {
        this.socket = upgrade(uri, 0);
        this.closed = closed;
    }

    /**
     * Completes a WebSocket upgrade on a new socket and returns it; receiveBuffer above 0 sets the
     * socket's receive buffer first (a client that will stop reading).
     */
    static Socket upgrade(URI uri, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        String key = Base64.getEncoder().encodeToString("lightd-bench-key".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: "
                + uri.getHost() + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the upgrade was refused: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("the upgrade was refused: " + head);
        }
        return s;
    }

    /**
     * A platform thread: a virtual one whose socket always has data never parks, so it keeps its
     * carrier, and with 100 clients most of them were starved until the daemon dropped them as stalled.
     */
    Thread start() {
        return Thread.ofPlatform().daemon().name("console-reader").stackSize(256 << 10).start(this);
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void run() {
        String why;
        try (InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16)) {
            why = readFrames(in, socket.getOutputStream());
        } catch (IOException e) {
            why = "WebSocket failed: " + e;
        }
        closed.accept(why);
    }

    /** Reads frames until the socket ends; returns why it ended. */
    private String readFrames(InputStream in, OutputStream out) throws IOException {
        byte[] message = new byte[1 << 16];
        int filled = 0;
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                return "WebSocket ended without a close frame";
            }
            long length = b1 & 0x7f;
            if (length == 126) {
                length = (in.read() << 8) | in.read();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | in.read();
                }
            }
            int opcode = b0 & 0x0f;
            if (filled + length > message.length) {
                byte[] bigger = new byte[(int) Math.max(message.length * 2L, filled + length)];
                System.arraycopy(message, 0, bigger, 0, filled);
                message = bigger;
            }
            in.readNBytes(message, filled, (int) length);
            if (opcode == 8) {
                int code = length >= 2 ? ((message[filled] & 0xff) << 8) | (message[filled + 1] & 0xff) : 0;
                String reason = length > 2 ? new String(message, filled + 2, (int) length - 2, StandardCharsets.UTF_8) : "";
                return "WebSocket closed: " + code + " " + reason;
            }
            if (opcode == 9) { // ping: a pong with the same data, masked with a zero key as a client must
                out.write(new byte[] {(byte) 0x8a, (byte) (0x80 | length), 0, 0, 0, 0});
                out.write(message, filled, (int) length);
                out.flush();
                continue;
            }
            if (opcode != 1 && opcode != 0) {
                continue;
            }
            filled += (int) length;
            if ((b0 & 0x80) != 0) { // the message's last frame
                count(message, filled);
                filled = 0;
            }
        }
    }

    private void count(byte[] m, int length) {
        if (length < CONSOLE.length) {
            return;
        }
        for (int i = 0; i < CONSOLE.length; i++) {
            if (m[i] != CONSOLE[i]) {
                return;
            }
        }
        for (int i = CONSOLE.length; i < length - 1; i++) {
            if (m[i] != 'L' || m[i + 1] < '0' || m[i + 1] > '9') {
                continue;
            }
            long n = 0;
            int j = i + 1;
            while (j < length && m[j] >= '0' && m[j] <= '9') {
                n = n * 10 + (m[j] - '0');
                j++;
            }
            if (counting) {
                lines.incrementAndGet();
                if (last >= 0 && n > last + 1) {
                    lost.addAndGet(n - last - 1);
                }
            }
            last = n;
            i = j - 1;
        }
    }
}
