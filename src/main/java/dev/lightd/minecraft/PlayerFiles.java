package dev.lightd.minecraft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lightd.ServiceException;
import dev.lightd.fs.VolumeFs;
import dev.lightd.fs.VolumePath;
import dev.lightd.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Vanilla's player lists in a server's folder ({@code whitelist.json}, {@code ops.json},
 * {@code banned-players.json}): JSON arrays of objects, read and written through the fs layer
 * (openat2 beneath the server folder, so a link the game server or a plugin left there cannot lead
 * the daemon elsewhere; writes atomic). The server folder is the container's {@code /data}, so its
 * files are the game's to write: one larger than {@link #MAX_BYTES} is refused, never loaded.
 */
final class PlayerFiles {

    /** A list file larger than this is refused (a vanilla entry is about 100 bytes: some 40,000 players). */
    static final int MAX_BYTES = 4 << 20;

    enum ListFile {
        WHITELIST("whitelist.json"), OPS("ops.json"), BANS("banned-players.json");

        final String file;

        ListFile(String file) {
            this.file = file;
        }
    }

    private final ServerFolders folders;

    PlayerFiles(ServerFolders folders) {
        this.folders = folders;
    }

    /** The entries of a list; none when the file does not exist yet (a server never started). */
    List<ObjectNode> read(String server, ListFile list) {
        byte[] bytes;
        try (InputStream in = fs(server).read(VolumePath.parse(list.file))) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (ServiceException e) {
            if (e.kind() == ServiceException.Kind.NOT_FOUND) {
                return new ArrayList<>();
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BYTES) {
            throw ServiceException.internal("Server '" + server + "': " + list.file + " is larger than "
                    + (MAX_BYTES >> 20) + " MiB; refusing to read it", null);
        }
        JsonNode root;
        try {
            root = bytes.length == 0 ? Json.MAPPER.createArrayNode() : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ServiceException.internal("Server '" + server + "': " + list.file + " is not valid JSON", null);
        }
        if (root == null || root.isMissingNode()) {
            return new ArrayList<>();
        }
        if (!root.isArray()) {
            throw ServiceException.internal("Server '" + server + "': " + list.file + " is not a JSON list", null);
        }
        List<ObjectNode> out = new ArrayList<>();
        root.forEach(n -> {
            if (n instanceof ObjectNode o && o.path("name").isTextual()) {
                out.add(o);
            }
        });
        return out;
    }

    /** Replaces a list file atomically (temporary file + rename), as vanilla formats it. */
    void write(String server, ListFile list, List<ObjectNode> entries) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        array.addAll(entries);
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        fs(server).writeFile(VolumePath.parse(list.file), bytes);
    }

    private VolumeFs fs(String server) {
        try {
            // the folder is made with the container; a server made before that existed may lack it
            Files.createDirectories(folders.of(server));
        } catch (IOException e) {
            throw ServiceException.internal("Cannot create server folder: " + e.getMessage(), e);
        }
        return new VolumeFs(folders.of(server));
    }
}
