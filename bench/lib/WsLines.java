import java.net.URI;
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
 * Usage: java WsLines.java URL CLIENTS SECONDS
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
        clients.forEach(c -> c.counting = true);
        Thread.sleep((long) (seconds * 1000));
        clients.forEach(c -> c.counting = false);
        double[] rates = clients.stream().mapToDouble(c -> c.lines.get() / seconds).sorted().toArray();
        long lost = clients.stream().mapToLong(c -> c.lost.get()).sum();
        long silent = clients.stream().filter(c -> c.lines.get() == 0).count();
        for (WebSocket ws : open) {
            ws.abort();
        }
        System.out.printf("{\"clients\":%d,\"min_lps\":%.0f,\"median_lps\":%.0f,\"lost\":%d,\"silent\":%d}%n",
                count, rates[0], rates[rates.length / 2], lost, silent);
        System.exit(0);
    }
}
