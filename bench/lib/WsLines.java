import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Console clients for bench/run.sh: CLIENTS WebSockets on URL read for SECONDS; the container prints
 * numbered lines "L<n>", each sent as {"event":"console","data":"L<n>\n"}, so a gap in a client's numbers is a lost line. Prints one JSON object:
 * per-client lines/s (min, median), total lines lost, clients that saw nothing.
 * With "stall", one more client opens the socket and then never reads (a raw socket with a small
 * receive buffer); it is not counted, and the JSON gives when it stopped reading (epoch ms), for
 * the daemon's log to say when it was dropped.
 * Usage: java WsLines.java URL CLIENTS SECONDS [stall]
 */
public class WsLines {

    static final Pattern LINE = Pattern.compile("L(\\d+)");

    static final class Client implements WebSocket.Listener {
        final AtomicLong lines = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        long last = -1;
        final StringBuilder partial = new StringBuilder();
        volatile boolean counting;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean lastPart) {
            partial.append(data);
            if (lastPart) {
                String frame = partial.toString();
                partial.setLength(0);
                if (frame.startsWith("{\"event\":\"console\"")) {
                    Matcher m = LINE.matcher(frame);
                    while (m.find()) {
                        long n = Long.parseLong(m.group(1));
                        if (counting) {
                            lines.incrementAndGet();
                            if (last >= 0 && n > last + 1) {
                                lost.addAndGet(n - last - 1);
                            }
                        }
                        last = n;
                    }
                }
            }
            ws.request(1);
            return null;
        }
    }

    /** A console client that completes the upgrade and never reads again. */
    static Socket stalledClient(URI uri) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        String key = Base64.getEncoder().encodeToString("lightd-bench-key".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: "
                + uri.getHost() + ":" + uri.getPort() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IllegalStateException("the upgrade was refused: " + head);
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IllegalStateException("the upgrade was refused: " + head);
        }
        return s;
    }

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        HttpClient http = HttpClient.newHttpClient();
        List<Client> clients = new ArrayList<>();
        List<CompletableFuture<WebSocket>> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Client c = new Client();
            clients.add(c);
            sockets.add(http.newWebSocketBuilder().buildAsync(uri, c));
        }
        List<WebSocket> open = new ArrayList<>();
        for (var s : sockets) {
            open.add(s.join());
        }
        Thread.sleep(1000); // every client attached and streaming
        long stallStartedMs = 0;
        Socket staller = null;
        if (args.length > 3 && args[3].equals("stall")) {
            staller = stalledClient(uri);
            stallStartedMs = System.currentTimeMillis();
        }
        clients.forEach(c -> c.counting = true);
        Thread.sleep((long) (seconds * 1000));
        clients.forEach(c -> c.counting = false);
        double[] rates = clients.stream().mapToDouble(c -> c.lines.get() / seconds).sorted().toArray();
        long lost = clients.stream().mapToLong(c -> c.lost.get()).sum();
        long silent = clients.stream().filter(c -> c.lines.get() == 0).count();
        for (WebSocket ws : open) {
            ws.abort();
        }
        if (staller != null) {
            staller.close();
        }
        System.out.printf("{\"clients\":%d,\"min_lps\":%.0f,\"median_lps\":%.0f,\"lost\":%d,\"silent\":%d,"
                + "\"stall_started_ms\":%d}%n", count, rates[0], rates[rates.length / 2], lost, silent, stallStartedMs);
        System.exit(0);
    }
}
