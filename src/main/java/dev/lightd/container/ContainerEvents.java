package dev.lightd.container;

import dev.lightd.console.ConsoleEvent;
import dev.lightd.console.ConsoleHub;
import dev.lightd.remote.PanelSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells what happens to one container to its console, the panel and the log, in one place. */
final class ContainerEvents {

    private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);

    private final String id;
    private final PanelSync panel;
    private final ConsoleHub console;

    ContainerEvents(String id, PanelSync panel, ConsoleHub console) {
        this.id = id;
        this.panel = panel;
        this.console = console;
    }

    /** An install state (installing, ready, failed): console, panel and log. */
    void installState(String state) {
        log.info("event=container_state container={} state={}", id, state);
        console.publish(ConsoleEvent.state(state));
        panel.publish(id, "event", state);
    }

    /** A power state event: the supervisor told the console and the log already. */
    void powerState(String event) {
        panel.publish(id, "event", event);
    }

    void daemonMessage(String message) {
        log.info("event=daemon_message container={} message=\"{}\"", id, message);
        console.publish(ConsoleEvent.daemonMessage(message));
        panel.publish(id, "daemon_message", message);
    }
}
