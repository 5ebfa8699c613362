import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Console clients for bench/run.sh: CLIENTS WebSockets on URL read for SECONDS; the container prints
 * numbered lines "L<n>", each sent as {"event":"console","data":"L<n>\n"}, so a gap in a client's numbers is a lost line. Prints one JSON object:
 * per-client lines/s (min, median), total lines lost, clients that saw nothing.
 * With "stall", one more client opens the socket and then never reads (a raw socket with a small
 * receive buffer); it is not counted, and the JSON gives when it stopped reading (epoch ms), for
 * the daemon's log to say when it was dropped.
 * The clients are ConsoleReader.java's raw sockets.
 * Usage: java WsLines.java URL CLIENTS SECONDS [stall]
 */
public class WsLines {

    static volatile boolean ending;

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        List<ConsoleReader> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ConsoleReader c = new ConsoleReader(uri, why -> {
                if (!ending) {
                    System.err.println("bench: a console client ended: " + why);
                }
            });
            clients.add(c);
            c.start();
        }
        Thread.sleep(1000); // every client attached and streaming
        long stallStartedMs = 0;
        Socket staller = null;
        if (args.length > 3 && args[3].equals("stall")) {
            staller = ConsoleReader.upgrade(uri, 4096);
            stallStartedMs = System.currentTimeMillis();
        }
        clients.forEach(c -> c.counting = true);
        Thread.sleep((long) (seconds * 1000));
        clients.forEach(c -> c.counting = false);
        double[] rates = clients.stream().mapToDouble(c -> c.lines.get() / seconds).sorted().toArray();
        long lost = clients.stream().mapToLong(c -> c.lost.get()).sum();
        long silent = clients.stream().filter(c -> c.lines.get() == 0).count();
        ending = true;
        clients.forEach(ConsoleReader::close);
        if (staller != null) {
            staller.close();
        }
        System.out.printf("{\"clients\":%d,\"min_lps\":%.0f,\"median_lps\":%.0f,\"lost\":%d,\"silent\":%d,"
                + "\"stall_started_ms\":%d}%n", count, rates[0], rates[rates.length / 2], lost, silent, stallStartedMs);
        System.exit(0);
    }
}
