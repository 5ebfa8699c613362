package dev.lightd.network;

import dev.lightd.ServiceException;
import dev.lightd.store.PortStore;
import dev.lightd.store.PortStore.PortRow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The pool of host ports that containers may bind. */
public final class PortPoolService {

    public static final String NOT_FOUND = "Port not found in pool";

    /** The last list shown and the store's snapshot it was made from (the store keeps one until a write). */
    private record Shown(List<PortRow> rows, List<PoolPort> ports) {}

    private final PortStore store;
    private volatile Shown shown;

    public PortPoolService(PortStore store) {
        this.store = store;
    }

    public PoolPort add(String ip, long port, String protocol) {
        PortRow row = new PortRow(PortAddress.ip(ip), PortAddress.port(port), PortAddress.protocol(protocol), false);
        if (!store.insert(row)) {
            throw ServiceException.badRequest("Port already exists in pool");
        }
        return toPort(row);
    }

    public PoolPort get(String ip, int port) {
        return store.find(PortAddress.ip(ip), port).map(PortPoolService::toPort)
                .orElseThrow(() -> ServiceException.notFound(NOT_FOUND));
    }

    /** The same list object while the pool is unchanged: the route keeps its JSON as long (JsonMemo). */
    public List<PoolPort> list() {
        List<PortRow> rows = store.all();
        Shown s = shown;
        if (s == null || s.rows() != rows) {
            s = new Shown(rows, rows.stream().map(PortPoolService::toPort).toList());
            shown = s;
        }
        return s.ports();
    }

    /** A free port of the pool that the host can bind at this moment, chosen at random. */
    public PoolPort random() {
        List<PortRow> free = new ArrayList<>(store.free());
        Collections.shuffle(free);
        return free.stream()
                .filter(row -> PortProbe.canBind(row.ip(), row.port(), row.protocol()))
                .findFirst()
                .map(PortPoolService::toPort)
                .orElseThrow(() -> ServiceException.notFound("No available port in pool"));
    }

    public void setInUse(String ip, int port, boolean inUse) {
        if (!store.setInUse(PortAddress.ip(ip), port, inUse)) {
            throw ServiceException.notFound(NOT_FOUND);
        }
    }

    public void delete(String ip, int port) {
        if (!store.delete(PortAddress.ip(ip), port)) {
            throw ServiceException.notFound(NOT_FOUND);
        }
    }

    /** Validates every entry before deleting any; counts only the ports that existed. */
    public int deleteAll(List<PortKey> keys) {
        List<PortKey> valid = keys.stream()
                .map(k -> new PortKey(PortAddress.ip(k.ip()), PortAddress.port(k.port())))
                .toList();
        return store.deleteAll(valid, PortKey::ip, PortKey::port);
    }

    private static PoolPort toPort(PortRow row) {
        return new PoolPort(row.ip(), row.port(), row.protocol(), row.inUse());
    }
}
