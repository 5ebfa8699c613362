package dev.lightd.minecraft;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.ArrayList;
import java.util.Arrays;

/** Who is online, from RCON "list": "There are 3 of a max of 20 players online: A, B, C". */
public record Players(int online, int max, List<String> list) {

    static final Players NONE = new Players(0, 0, List.of());
    private static final Pattern LIST = Pattern.compile("There are (\\d+) of a max(?: of)? (\\d+) players online:?\\s*(.*)",
            Pattern.DOTALL);

    static Players parse(String answer) {
        Matcher m = LIST.matcher(answer == null ? "" : answer.trim());
        if (!m.matches()) {
            return null;
        }
        String names = m.group(3).trim();
        List<String> list = names.isEmpty() ? List.of()
                : Arrays.stream(names.split(",\\s*")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Players(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), list);
    }

    Players joined(String name) {
        if (list.contains(name)) {
            return this;
        }
        var l = new ArrayList<>(list);
        l.add(name);
        return new Players(l.size(), max, List.copyOf(l));
    }

    Players left(String name) {
        var l = new ArrayList<>(list);
        l.remove(name);
        return new Players(l.size(), max, List.copyOf(l));
    }
}
