package dev.lightd.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LightdCommandTest {

    @Test
    void aRunThatNamesACommandBuildsOnlyThatOne() {
        var cli = LightdCommand.commandLine(new String[] {"serve", "--data", "/tmp/x"});

        assertThat(cli.getSubcommands()).containsOnlyKeys("serve");
        assertThat(cli.getSubcommands().get("serve").getCommandSpec().optionsMap()).containsKeys("--data", "--help", "--version");
    }

    @Test
    void helpAndUnknownWordsGetEveryCommand() {
        for (String[] args : new String[][] {{}, {"--help"}, {"srve"}}) {
            assertThat(LightdCommand.commandLine(args).getSubcommands())
                    .containsOnlyKeys("serve", "token", "mcctl", "version", "train");
        }
    }

    @Test
    void nestedCommandsAreBuiltWithTheirParent() {
        var cli = LightdCommand.commandLine(new String[] {"mcctl", "key", "create"});

        assertThat(cli.getSubcommands()).containsOnlyKeys("mcctl");
        assertThat(cli.getSubcommands().get("mcctl").getSubcommands().get("key").getSubcommands())
                .containsOnlyKeys("create", "list", "revoke");
    }
}
