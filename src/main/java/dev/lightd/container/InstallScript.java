package dev.lightd.container;

import java.util.Arrays;
import java.util.List;

/** An install script and the interpreter its shebang names ({@code sh} when it has none). */
record InstallScript(String text) {

    static final String MOUNT = "/mnt/install";
    static final String FILE = "install.sh";

    boolean isEmpty() {
        return text == null || text.isBlank();
    }

    List<String> interpreter() {
        if (text != null && text.startsWith("#!")) {
            String line = text.lines().findFirst().orElse("#!").substring(2).trim();
            if (!line.isEmpty()) {
                return Arrays.asList(line.split("\\s+"));
            }
        }
        return List.of("sh");
    }
}
