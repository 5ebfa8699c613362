package dev.lightd.minecraft;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A Source RCON client (the protocol Minecraft speaks): little-endian packets of length, id, type,
 * body and two NULs. A long answer comes in several packets; after each command an unknown-type
 * packet is sent, and the server's "Unknown request" answer to it marks the end of the first.
 */
public final class RconClient implements AutoCloseable {

    /** The longest command a vanilla server accepts in one RCON packet; longer ones drop the connection. */
    static final int MAX_COMMAND_BYTES = 1446;


    private static final int AUTH = 3;
    private static final int EXEC = 2;
    private static final int END_MARKER = 200;
    private static final int MAX_PACKET = 4096 + 14;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextId = 1;

    private RconClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and authenticates; a wrong password is an RconException. */
    public static RconClient connect(String host, int port, String password, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            RconClient client = new RconClient(s);
            int id = client.send(AUTH, password);
            Packet reply = client.read();
            while (reply.type() != EXEC) { // an empty RESPONSE_VALUE may come first
                reply = client.read();
            }
            if (reply.id() == -1 || reply.id() != id) {
                throw new RconException("RCON authentication failed");
            }
            return client;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Runs one command and answers its whole output, however many packets it took. */
    public synchronized String command(String command) throws IOException {
        int id = send(EXEC, command);
        int marker = send(END_MARKER, "");
        StringBuilder answer = new StringBuilder();
        while (true) {
            Packet p = read();
            if (p.id() == marker) {
                return answer.toString();
            }
            if (p.id() == id) {
                answer.append(p.body());
            }
        }
    }

    private record Packet(int id, int type, String body) {}

    private int send(int type, String body) throws IOException {
        int id = nextId++;
        byte[] text = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 + 4 + text.length + 2).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(4 + 4 + text.length + 2).putInt(id).putInt(type).put(text).put((byte) 0).put((byte) 0);
        out.write(buf.array());
        out.flush();
        return id;
    }

    private Packet read() throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 10 || length > MAX_PACKET) {
            throw new RconException("RCON packet of invalid length " + length);
        }
        byte[] rest = new byte[length];
        in.readFully(rest);
        ByteBuffer b = ByteBuffer.wrap(rest).order(ByteOrder.LITTLE_ENDIAN);
        int id = b.getInt();
        int type = b.getInt();
        String body = new String(rest, 8, length - 10, StandardCharsets.UTF_8);
        return new Packet(id, type, body);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** A protocol-level failure: refused password, malformed packet. */
    public static final class RconException extends IOException {
        public RconException(String message) {
            super(message);
        }
    }

}
