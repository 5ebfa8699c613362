package dev.lightd.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A small Source RCON client for tests. Multi-packet answers: after each command it sends an
 * empty packet of type 0 with the next id; the server answers that one after the last packet of
 * the command's answer, which marks the end.
 */
public final class TestRcon implements AutoCloseable {

    private static final int RESPONSE = 0, EXEC = 2, AUTH_RESPONSE = 2, AUTH = 3;

    /** An answer and the number of packets it came in. */
    public record Answer(String text, int packets) {
    }

    /** The server refused the password (auth response with id -1). */
    public static final class AuthFailed extends IOException {
        AuthFailed() {
            super("RCON authentication refused");
        }
    }

    private record Packet(int id, int type, String body) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextId = 1;

    private TestRcon(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and authenticates; throws {@link AuthFailed} on a wrong password. */
    public static TestRcon connect(String host, int port, String password) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(10_000);
            TestRcon rcon = new TestRcon(socket);
            rcon.authenticate(password);
            return rcon;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void authenticate(String password) throws IOException {
        int id = nextId++;
        send(id, AUTH, password);
        while (true) {
            Packet packet = read();
            if (packet.type() != AUTH_RESPONSE) {
                continue; // Source engines send an empty response value first
            }
            if (packet.id() == -1) {
                throw new AuthFailed();
            }
            if (packet.id() == id) {
                return;
            }
        }
    }

    /** Runs a command and answers the whole text, however many packets it took. */
    public String command(String command) throws IOException {
        return exec(command).text();
    }

    public Answer exec(String command) throws IOException {
        int id = nextId++;
        int marker = nextId++;
        send(id, EXEC, command);
        send(marker, RESPONSE, "");
        StringBuilder text = new StringBuilder();
        int packets = 0;
        while (true) {
            Packet packet = read();
            if (packet.id() == -1) {
                throw new AuthFailed();
            }
            if (packet.id() == marker) {
                return new Answer(text.toString(), packets);
            }
            if (packet.id() == id) {
                text.append(packet.body());
                packets++;
            }
            // anything else is left over from an earlier exchange
        }
    }

    private void send(int id, int type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(14 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(10 + bytes.length).putInt(id).putInt(type).put(bytes).put((byte) 0).put((byte) 0);
        out.write(buf.array());
        out.flush();
    }

    private Packet read() throws IOException {
        int length = Integer.reverseBytes(in.readInt());
        if (length < 10 || length > 1 << 20) {
            throw new IOException("bad RCON packet length " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("RCON connection closed inside a packet");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int id = buf.getInt();
        int type = buf.getInt();
        int end = 8;
        while (end < length && bytes[end] != 0) {
            end++;
        }
        return new Packet(id, type, new String(bytes, 8, end - 8, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
