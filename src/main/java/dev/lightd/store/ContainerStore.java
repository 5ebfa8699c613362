package dev.lightd.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lightd.store.ContainerRow.Port;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.lightd.json.Json;

public final class ContainerStore {

    private static final TypeReference<List<Port>> PORTS = new TypeReference<>() {};
    private static final String COLUMNS = "SELECT internal_id, container_id, volume_id, image, startup_command,"
            + " start_pattern, install_script, install_state, wants_running, ports, memory, cpu, stop_command,"
            + " restart_on_crash, daemon_message, created_at, updated_at, crash_on_clean_exit, pids FROM containers";

    private final Database db;

    public ContainerStore(Database db) {
        this.db = db;
    }

    public enum InsertResult { INSERTED, DUPLICATE_ID, PORT_TAKEN }

    /** Thrown inside the insert transaction to roll it back when a port was taken meanwhile. */
    private static final class PortTaken extends RuntimeException {
        PortTaken() {
            super(null, null, false, false);
        }
    }

    /**
     * Records a new container and claims its ports, in one transaction: two creates racing for the
     * same port cannot both get it.
     */
    public InsertResult insert(ContainerRow r) {
        try {
            return insertOrThrow(r) ? InsertResult.INSERTED : InsertResult.DUPLICATE_ID;
        } catch (PortTaken e) {
            return InsertResult.PORT_TAKEN;
        }
    }

    private boolean insertOrThrow(ContainerRow r) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("INSERT INTO containers (internal_id, container_id, volume_id, image,"
                    + " startup_command, start_pattern, install_script, install_state, ports, memory,"
                    + " cpu, stop_command, restart_on_crash, daemon_message, created_at, updated_at, crash_on_clean_exit,"
                    + " pids, wants_running) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                bind(st, r);
                st.setInt(19, r.wantsRunning() ? 1 : 0);
                if (st.executeUpdate() != 1) {
                    return false;
                }
            }
            for (Port p : r.ports()) {
                try (var claim = c.prepareStatement(
                        "UPDATE ports SET in_use = 1 WHERE ip = ? AND port = ? AND in_use = 0")) {
                    claim.setString(1, p.ip());
                    claim.setInt(2, p.port());
                    if (claim.executeUpdate() != 1) {
                        throw new PortTaken();
                    }
                }
            }
            return true;
        });
    }

    public void update(ContainerRow r) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE containers SET internal_id = ?, container_id = ?, volume_id = ?,"
                    + " image = ?, startup_command = ?, start_pattern = ?, install_script = ?, install_state = ?,"
                    + " ports = ?, memory = ?, cpu = ?, stop_command = ?, restart_on_crash = ?,"
                    + " daemon_message = ?, created_at = ?, updated_at = ?, crash_on_clean_exit = ?, pids = ? WHERE internal_id = ?")) {
                bind(st, r);
                st.setString(19, r.internalId());
                return st.executeUpdate();
            }
        });
    }

    /** Whether the container should be running; written on its own, so no other field is rewritten with it. */
    public void setWantsRunning(String internalId, boolean wantsRunning) {
        db.transaction(c -> {
            try (var st = c.prepareStatement("UPDATE containers SET wants_running = ? WHERE internal_id = ?")) {
                st.setInt(1, wantsRunning ? 1 : 0);
                st.setString(2, internalId);
                return st.executeUpdate();
            }
        });
    }

    /** Swaps a container's port bindings: the old ones are freed, the new ones marked in use. */
    public void rebind(ContainerRow updated, List<Port> oldPorts) {
        db.transaction(c -> {
            markPorts(c, oldPorts, false);
            markPorts(c, updated.ports(), true);
            try (var st = c.prepareStatement("UPDATE containers SET ports = ?, updated_at = ? WHERE internal_id = ?")) {
                st.setString(1, json(updated.ports()));
                st.setLong(2, updated.updatedAt());
                st.setString(3, updated.internalId());
                return st.executeUpdate();
            }
        });
    }

    /** Forgets the container and frees its ports. */
    public void delete(ContainerRow r) {
        db.transaction(c -> {
            markPorts(c, r.ports(), false);
            try (var st = c.prepareStatement("DELETE FROM containers WHERE internal_id = ?")) {
                st.setString(1, r.internalId());
                return st.executeUpdate();
            }
        });
    }

    public Optional<ContainerRow> find(String internalId) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement(COLUMNS + " WHERE internal_id = ?")) {
                st.setString(1, internalId);
                return rows(st.executeQuery()).stream().findFirst();
            }
        });
    }

    public List<ContainerRow> all() {
        return db.transaction(c -> {
            try (var st = c.prepareStatement(COLUMNS + " ORDER BY created_at, internal_id")) {
                return rows(st.executeQuery());
            }
        });
    }

    private static void markPorts(Connection c, List<Port> ports, boolean inUse) throws SQLException {
        for (Port p : ports) {
            PortStore.setInUse(c, p.ip(), p.port(), inUse);
        }
    }

    private static void bind(PreparedStatement st, ContainerRow r) throws SQLException {
        st.setString(1, r.internalId());
        st.setString(2, r.containerId());
        st.setString(3, r.volumeId());
        st.setString(4, r.image());
        st.setString(5, r.startupCommand());
        st.setString(6, r.startPattern());
        st.setString(7, r.installScript());
        st.setString(8, r.installState());
        st.setString(9, json(r.ports()));
        st.setLong(10, r.memory());
        st.setDouble(11, r.cpu());
        st.setString(12, r.stopCommand());
        st.setInt(13, r.restartOnCrash() ? 1 : 0);
        st.setString(14, r.daemonMessage());
        st.setLong(15, r.createdAt());
        st.setLong(16, r.updatedAt());
        st.setInt(17, r.crashOnCleanExit() ? 1 : 0);
        st.setLong(18, r.pids());
    }

    private static List<ContainerRow> rows(ResultSet rs) throws SQLException {
        List<ContainerRow> out = new ArrayList<>();
        while (rs.next()) {
            out.add(new ContainerRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9) == 1,
                    ports(rs.getString(10)), rs.getLong(11), rs.getDouble(12), rs.getLong(19), rs.getString(13), rs.getInt(14) == 1,
                    rs.getInt(18) == 1, rs.getString(15), rs.getLong(16), rs.getLong(17)));
        }
        return out;
    }

    private static String json(List<Port> ports) {
        try {
            return Json.MAPPER.writeValueAsString(ports);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Port> ports(String json) {
        try {
            return Json.MAPPER.readValue(json, PORTS);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt ports column: " + e.getMessage(), e);
        }
    }

    /** Whether any recorded container mounts the volume of this id. */
    public boolean usesVolume(String volumeId) {
        return db.transaction(c -> {
            try (var st = c.prepareStatement("SELECT 1 FROM containers WHERE volume_id = ? LIMIT 1")) {
                st.setString(1, volumeId);
                return st.executeQuery().next();
            }
        });
    }
}
