package dev.lightd.cli;

import dev.lightd.ServiceException;
import dev.lightd.audit.AuditEvent;
import dev.lightd.audit.AuditLog;
import dev.lightd.auth.McctlCredentials;
import dev.lightd.store.AuditStore;
import dev.lightd.store.Database;
import dev.lightd.store.McctlAuthStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * API keys and users of the mcctl face, written straight to the store (SQLite in WAL mode lets the
 * CLI and a running daemon share it).
 */
@Command(name = "mcctl", description = "Manage mcctl API keys and users.",
        subcommands = {McctlCommand.Key.class, McctlCommand.User.class})
public final class McctlCommand implements Runnable {

    @Override
    public void run() {
        System.out.println("usage: lightd mcctl key create|list|revoke, lightd mcctl user add|list|remove|passwd");
    }

    static <T> T withCredentials(DataDir dataDir, Function<McctlCredentials, T> work) {
        try (Database db = Database.open(dataDir.path().resolve("lightd.db"))) {
            return work.apply(new McctlCredentials(new McctlAuthStore(db), Clock.systemUTC()));
        }
    }

    /**
     * As {@link #withCredentials}, recording the change in the audit log (actor {@code cli:local}):
     * a failure when the work throws or answers false (nothing found to change).
     */
    static <T> T audited(DataDir dataDir, String action, String targetType, String target, Map<String, Object> details,
                         Function<McctlCredentials, T> work) {
        try (Database db = Database.open(dataDir.path().resolve("lightd.db"))) {
            AuditStore audit = new AuditStore(db);
            try {
                T result = work.apply(new McctlCredentials(new McctlAuthStore(db), Clock.systemUTC()));
                boolean ok = !Boolean.FALSE.equals(result);
                AuditLog.recordNow(audit, new AuditEvent(Instant.now(), action, CLI_ACTOR, targetType, target, details,
                        ok, ok ? null : "not found"));
                return result;
            } catch (ServiceException e) {
                AuditLog.recordNow(audit, new AuditEvent(Instant.now(), action, CLI_ACTOR, targetType, target, details,
                        false, e.getMessage()));
                throw e;
            }
        }
    }

    static final String CLI_ACTOR = "cli:local";

    /** One line of the password from stdin, or the console without echo. */
    static String readPassword(String prompt) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] p = console.readPassword(prompt);
            return p == null ? "" : new String(p);
        }
        byte[] all = System.in.readAllBytes();
        String text = new String(all, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl >= 0 ? text.substring(0, nl) : text).replace("\r", "");
    }

    static int fail(ServiceException e) {
        System.err.println("lightd: " + e.getMessage());
        return 1;
    }

    @Command(name = "key", description = "API keys (X-API-Key).",
            subcommands = {Key.Create.class, Key.List.class, Key.Revoke.class})
    static final class Key implements Runnable {
        @Override
        public void run() {
            System.out.println("usage: lightd mcctl key create [--name NAME] | list | revoke ID");
        }

        @Command(name = "create", description = "Create a key; it is shown once.")
        static final class Create implements Runnable {
            @Mixin
            private DataDir dataDir;
            @Option(names = "--name", description = "A label for the key.")
            private String name;

            @Override
            public void run() {
                String label = name == null || name.isBlank() ? "key" : name;
                var key = audited(dataDir, "key.create", "key", label, Map.of(), c -> c.createKey(name));
                System.out.println(key.key());
                System.err.println("key id " + key.id() + ": shown once, store it now");
            }
        }

        @Command(name = "list", description = "List keys (ids and labels, never the keys).")
        static final class List implements Runnable {
            @Mixin
            private DataDir dataDir;

            @Override
            public void run() {
                withCredentials(dataDir, c -> {
                    c.keys().forEach(k -> System.out.println(k.id() + "  " + k.name() + "  "
                            + Instant.ofEpochSecond(k.createdAt())));
                    return null;
                });
            }
        }

        @Command(name = "revoke", description = "Revoke a key by id.")
        static final class Revoke implements Callable<Integer> {
            @Mixin
            private DataDir dataDir;
            @Parameters(paramLabel = "ID")
            private String id;

            @Override
            public Integer call() {
                boolean done = audited(dataDir, "key.revoke", "key", id, Map.of(), c -> c.revokeKey(id));
                System.out.println(done ? "revoked " + id : "no key " + id);
                return done ? 0 : 1;
            }
        }
    }

    @Command(name = "user", description = "Users for /api/auth/login and basic auth.",
            subcommands = {User.Add.class, User.List.class, User.Remove.class, User.Passwd.class})
    static final class User implements Runnable {
        @Override
        public void run() {
            System.out.println("usage: lightd mcctl user add NAME [--role admin|viewer] | list | remove NAME | passwd NAME"
                    + " (the password is read from stdin)");
        }

        @Command(name = "add", description = "Add a user; the password is read from stdin.")
        static final class Add implements Callable<Integer> {
            @Mixin
            private DataDir dataDir;
            @Parameters(paramLabel = "NAME")
            private String name;
            @Option(names = "--role", defaultValue = "viewer", description = "admin or viewer (default viewer).")
            private String role;

            @Override
            public Integer call() throws IOException {
                String password = readPassword("Password: ");
                try {
                    var user = audited(dataDir, "user.add", "user", name, Map.of("role", String.valueOf(role)),
                            c -> c.addUser(name, role, password));
                    System.out.println("added " + user.username() + " (" + user.role() + ", " + user.id() + ")");
                    return 0;
                } catch (ServiceException e) {
                    return fail(e);
                }
            }
        }

        @Command(name = "list", description = "List users.")
        static final class List implements Runnable {
            @Mixin
            private DataDir dataDir;

            @Override
            public void run() {
                withCredentials(dataDir, c -> {
                    c.users().forEach(u -> System.out.println(u.username() + "  " + u.role() + "  " + u.id()));
                    return null;
                });
            }
        }

        @Command(name = "remove", description = "Remove a user.")
        static final class Remove implements Callable<Integer> {
            @Mixin
            private DataDir dataDir;
            @Parameters(paramLabel = "NAME")
            private String name;

            @Override
            public Integer call() {
                boolean done = audited(dataDir, "user.remove", "user", name, Map.of(), c -> c.removeUser(name));
                System.out.println(done ? "removed " + name : "no user " + name);
                return done ? 0 : 1;
            }
        }

        @Command(name = "passwd", description = "Set a user's password (read from stdin).")
        static final class Passwd implements Callable<Integer> {
            @Mixin
            private DataDir dataDir;
            @Parameters(paramLabel = "NAME")
            private String name;

            @Override
            public Integer call() throws IOException {
                String password = readPassword("New password: ");
                try {
                    boolean done = audited(dataDir, "user.passwd", "user", name, Map.of(),
                            c -> c.setPassword(name, password));
                    System.out.println(done ? "password changed for " + name : "no user " + name);
                    return done ? 0 : 1;
                } catch (ServiceException e) {
                    return fail(e);
                }
            }
        }
    }
}
