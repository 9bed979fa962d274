package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.env.PropertiesPropertySourceLoader;
import io.micronaut.core.io.service.SoftServiceLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list of Micronaut's service descriptors: as Micronaut's scan finds them, and what an agent makes from it. */
class ServiceIndexTest {

    private static final String STATUS_CONTROLLER =
            "io.micronaut.inject.BeanDefinitionReference ai.chutes.status.api.$StatusController$Definition";

    @TempDir
    Path dir;

    /** A service type of this test's own, with one implementation Micronaut's scan would make. */
    public interface Greeting {
    }

    public static final class Hello implements Greeting {
        public Hello() {
        }
    }

    @Test
    void theListNamesEveryDescriptorOnceInOrder() throws IOException {
        List<String> lines = ServiceIndex.lines(getClass().getClassLoader());
        assertTrue(lines.contains(STATUS_CONTROLLER), "the agent's own controller is listed");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("io.micronaut.inject.BeanDefinitionReference io.micronaut.http.server.netty.")),
                "Micronaut's own beans, from its jars, are listed");
        assertEquals(List.copyOf(new TreeSet<>(lines)), lines, "sorted, each line once");
        lines.forEach(line -> assertEquals(2, line.split(" ").length, line));
    }

    @Test
    void aTypeIsAnsweredFromTheListAndTheStandardServiceFiles() {
        ServiceIndex.Loaders loaders = new ServiceIndex.Loaders(
                Map.of(Greeting.class.getName(), List.of(Hello.class.getName(), "ai.chutes.status.NoSuchGreeting")),
                getClass().getClassLoader());

        // A listed class that is not there is left out, as the scan leaves it out.
        List<?> greetings = loaders.get(Greeting.class.getName()).load(service -> true);
        assertEquals(1, greetings.size(), greetings.toString());
        assertInstanceOf(Hello.class, greetings.get(0));
        assertEquals(List.of(Hello.class.getName()),
                loaders.get(Greeting.class.getName()).findAll(name -> true).map(SoftServiceLoader.StaticDefinition::getName).toList());

        // META-INF/services entries come with the list's (Micronaut's own property file loaders).
        List<?> propertyLoaders = loaders.get("io.micronaut.context.env.PropertySourceLoader").load(service -> true);
        assertTrue(propertyLoaders.stream().anyMatch(PropertiesPropertySourceLoader.class::isInstance), propertyLoaders.toString());

        // Every type is answered (Micronaut would scan for one the map did not hold): one with no services has none.
        assertTrue(loaders.containsKey("ai.chutes.status.NoSuchServiceType"));
        assertEquals(List.of(), loaders.get("ai.chutes.status.NoSuchServiceType").load(service -> true));
        assertFalse(loaders.containsKey(Greeting.class));
    }

    /**
     * The real launcher with a list on its class path makes the beans the list names and no others: with
     * the whole list it answers /health, without the line of the controller that serves /health it does not.
     */
    @Test
    void anAgentWithAListMakesTheBeansItNames() throws Exception {
        List<String> lines = ServiceIndex.lines(getClass().getClassLoader());
        assertEquals(200, healthFromAgentWith(lines, "whole"));
        List<String> withoutController = new ArrayList<>(lines);
        assertTrue(withoutController.remove(STATUS_CONTROLLER));
        assertEquals(404, healthFromAgentWith(withoutController, "without-controller"));
    }

    private int healthFromAgentWith(List<String> lines, String name) throws Exception {
        Path classes = dir.resolve(name);
        Path index = classes.resolve(ServiceIndex.RESOURCE);
        Files.createDirectories(index.getParent());
        Files.write(index, lines, StandardCharsets.UTF_8);
        try (LaunchedAgent agent = LaunchedAgent.start(dir, name, classes, List.of())) {
            return agent.status("/health");
        }
    }
}
