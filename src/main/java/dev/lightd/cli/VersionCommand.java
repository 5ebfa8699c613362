package dev.lightd.cli;

import dev.lightd.config.LightdConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "version", description = "Print the version.")
public final class VersionCommand implements Runnable, CommandLine.IVersionProvider {

    @Override
    public void run() {
        System.out.println("lightd " + LightdConfig.CURRENT_VERSION);
    }

    @Override
    public String[] getVersion() {
        return new String[] {"lightd " + LightdConfig.CURRENT_VERSION};
    }
}
