package dev.lightd.runtime;

/** A container event from the engine: action is start, die, health_status..., exitCode set on die. */
public record EngineEvent(String containerId, String name, String action, Integer exitCode) {}
