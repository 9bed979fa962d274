package ai.chutes.collector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The host operator's first tool: {@code java -jar collector-stub.jar --listen tcp://127.0.0.1:1024}
 * shows every agent's state changes, lost messages and silences as they happen.
 */
public final class CollectorStub {

    private CollectorStub() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        StubOptions options;
        try {
            options = StubOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("collector-stub: " + e.getMessage());
            System.err.println(StubOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(StubOptions.USAGE);
            return;
        }
        Collector collector = new Collector(options, System.out, System.err, Clock.systemUTC());
        try {
            collector.start();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("collector-stub: cannot start on " + String.join(", ", options.addresses()) + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(collector::close));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String command;
        while ((command = commands.readLine()) != null) {
            try {
                if (!command.isBlank()) {
                    collector.sendToAll(StubOptions.requestType(command.trim()));
                }
            } catch (IllegalArgumentException e) {
                System.err.println("collector-stub: " + e.getMessage());
            }
        }
        // Standard input closed (run in the background): keep collecting until killed.
        Thread.currentThread().join();
    }
}
