package ai.chutes.collector;

import ai.chutes.status.push.Wire;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command-line options of the collector stub.
 *
 * @param listen      true: wait for agents to connect (they dial); false: dial one agent that listens
 * @param addresses   vsock://CID:PORT, tcp://HOST:PORT or unix:///path: where to listen (one or more),
 *                    or the one agent to dial
 * @param interval    the agents' push interval: an agent silent for three of them is reported
 * @param record      where to append every line received, or null
 * @param send        host requests to send on every connection (ping, get_overview)
 * @param pingEvery   send ping this often on every connection, or null
 * @param forgetAfter an agent silent this long is dropped from the table
 * @param maxAgents   the table's cap; beyond it the least recently heard agent is dropped
 * @param http        loopback address of the HTTP listener (/metrics, /agents, /events), or null
 * @param json        print events as NDJSON (the /events objects) instead of lines
 * @param help        print the usage and exit 0
 */
record StubOptions(boolean listen, List<String> addresses, Duration interval, Path record, List<String> send,
                   Duration pingEvery, boolean verbose, Duration forgetAfter, int maxAgents, String http,
                   boolean json, boolean help) {

    static final String USAGE = """
            usage: java -jar collector-stub.jar [--listen ADDRESS | --dial ADDRESS] [--http ADDRESS] [options]
              --listen ADDRESS     wait for agents that dial (default tcp://127.0.0.1:1024); repeat it to
                                   listen on several; vsock://-1:PORT listens on every CID
              --dial ADDRESS       connect to one agent that listens (status.push.mode=listen)
                                   ADDRESS: vsock://CID:PORT, tcp://HOST:PORT or unix:///path
              --interval DURATION  the agents' status.push.interval (default 10s); silence for 3 of
                                   them is reported
              --record FILE        append every line received to FILE (NDJSON)
              --send TYPES         comma-separated host requests sent on connect: ping,get_overview
              --ping-every DURATION send ping this often
              --http ADDRESS       serve GET /metrics, /agents, /agents/{agent_id} and /events
                                   (NDJSON) on a loopback address such as tcp://127.0.0.1:9464
              --json               print each event as one JSON object per line (as /events)
              --verbose            also print every overview heartbeat
              --help               print this and exit
              --forget-after DURATION forget an agent silent this long (default 1h)
              --max-agents N       keep at most N agents, dropping the least recently heard
                                   (default 1024)
            Lines typed on standard input (ping, get_overview) are sent to every connected agent.""";

    static StubOptions parse(String... args) {
        boolean listen = true;
        List<String> addresses = new ArrayList<>();
        Duration interval = Duration.ofSeconds(10);
        Path record = null;
        List<String> send = new ArrayList<>();
        Duration pingEvery = null;
        boolean verbose = false;
        Duration forgetAfter = Duration.ofHours(1);
        int maxAgents = 1024;
        String http = null;
        boolean json = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--listen", "--dial" -> {
                    if (!addresses.isEmpty() && listen != option.equals("--listen")) {
                        throw new IllegalArgumentException("--listen and --dial do not mix");
                    }
                    listen = option.equals("--listen");
                    addresses.add(value(args, ++i, option));
                }
                case "--interval" -> interval = duration(value(args, ++i, option), option);
                case "--record" -> record = Path.of(value(args, ++i, option));
                case "--send" -> {
                    for (String type : value(args, ++i, option).split(",")) {
                        send.add(requestType(type.trim()));
                    }
                }
                case "--ping-every" -> pingEvery = duration(value(args, ++i, option), option);
                case "--verbose" -> verbose = true;
                case "--http" -> http = value(args, ++i, option);
                case "--json" -> json = true;
                case "--help", "-h" -> help = true;
                case "--forget-after" -> forgetAfter = duration(value(args, ++i, option), option);
                case "--max-agents" -> maxAgents = count(value(args, ++i, option), option);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (addresses.isEmpty()) {
            addresses.add("tcp://127.0.0.1:1024");
        }
        if (!listen && addresses.size() > 1) {
            throw new IllegalArgumentException("--dial takes one agent");
        }
        return new StubOptions(listen, List.copyOf(addresses), interval, record, List.copyOf(send), pingEvery, verbose,
                forgetAfter, maxAgents, http, json, help);
    }

    private static int count(String text, String option) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0 && value <= 100_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " needs a number from 1 to 100000, got '" + text + "'");
    }

    static String requestType(String type) {
        if (!Wire.HOST_TYPES.contains(type)) {
            throw new IllegalArgumentException("a host request is ping or get_overview, got '" + type + "'");
        }
        return type;
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    /** 500ms, 10s, 2m. */
    static Duration duration(String text, String option) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (value.endsWith("ms")) {
                return positive(Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2))), option);
            }
            long amount = Long.parseLong(value.substring(0, value.length() - 1));
            return switch (value.charAt(value.length() - 1)) {
                case 's' -> positive(Duration.ofSeconds(amount), option);
                case 'm' -> positive(Duration.ofMinutes(amount), option);
                default -> throw new NumberFormatException();
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException(option + " needs a duration such as 500ms, 10s or 1m, got '" + text + "'");
        }
    }

    private static Duration positive(Duration duration, String option) {
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return duration;
    }
}
