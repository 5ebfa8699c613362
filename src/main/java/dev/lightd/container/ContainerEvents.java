package dev.lightd.container;

import dev.lightd.remote.PanelSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Tells a state change to the console subscribers, the panel and the log, in one place. */
final class ContainerEvents {

    private static final Logger log = LoggerFactory.getLogger(ContainerEvents.class);

    private final PanelSync panel;

    ContainerEvents(PanelSync panel) {
        this.panel = panel;
    }

    void state(ManagedContainer c, String state) {
        log.info("event=container_state container={} state={}", c.id, state);
        c.console.publish(ConsoleEvent.state(state));
        panel.publish(c.id, "event", state);
    }

    void daemonMessage(ManagedContainer c, String message) {
        log.info("event=daemon_message container={} message=\"{}\"", c.id, message);
        c.console.publish(ConsoleEvent.daemonMessage(message));
        panel.publish(c.id, "daemon_message", message);
    }
}
