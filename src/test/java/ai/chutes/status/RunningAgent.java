package ai.chutes.status;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The agent started in-process on a random loopback port, with the given status.* properties. */
public final class RunningAgent implements AutoCloseable {

    private final EmbeddedServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public RunningAgent(Map<String, Object> properties) {
        Map<String, Object> all = new HashMap<>();
        all.put("status.bind-address", "127.0.0.1");
        all.put("status.port", -1);
        // Tests about the push channel turn it on with an address of their own.
        all.put("status.push.enabled", false);
        all.putAll(properties);
        // As Application starts it: Micronaut's settings for the agent, then these.
        ApplicationContext context = ApplicationContext.builder()
                .propertySources(MicronautDefaults.propertySource()).properties(all).start();
        try {
            this.server = context.getBean(EmbeddedServer.class);
            server.start();
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** An agent on the given fakes with no result cache (every request runs its commands) and a timeout. */
    public static RunningAgent uncached(FakeBinaries fakes, String commandTimeout) {
        Map<String, Object> properties = new HashMap<>(fakes.properties());
        properties.put("status.command-timeout", commandTimeout);
        properties.put("status.cache-ttl", "0s");
        return new RunningAgent(properties);
    }

    public int port() {
        return server.getPort();
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public Reply get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers().firstValue("content-type").orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }

    public record Reply(int status, String body, String contentType) {
    }
}
