package ai.chutes.status.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * The agent's logging as the jar sets it up (the tests' own logback-test.xml is on this classpath, so
 * the configurator is forced here with {@code force}): the audit logger alone on standard output, the
 * logs on standard error in the agent's pattern, Netty and Micronaut at WARN.
 */
class AgentLogConfiguratorTest {

    @Test
    void logbackFindsTheConfiguratorAsAService() {
        assertTrue(StreamSupport.stream(ServiceLoader.load(Configurator.class).spliterator(), false)
                .anyMatch(found -> found instanceof AgentLogConfigurator));
    }

    @Test
    void theTestsOwnConfigurationTakesPrecedence() {
        assertEquals(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY, new AgentLogConfigurator().configure(new LoggerContext()));
    }

    @Test
    void auditLinesGoToStandardOutputAndLogsToStandardError() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what logback's SLF4J provider gives the real one
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            AgentLogConfigurator.configureAgentLogging(context);
            context.getLogger("audit").info("{\"path\":\"/health\"}");
            context.getLogger("ai.chutes.status.Example").warn("a warning");
            context.getLogger("io.netty.Example").info("netty chatter");
            context.getLogger("ai.chutes.status.Example").debug("debug chatter");
            assertFalse(context.getLogger("audit").isAdditive());
            assertEquals(Level.WARN, context.getLogger("io.micronaut").getLevel());
            assertTrue(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR") instanceof ConsoleAppender);
        } finally {
            System.setOut(out);
            System.setErr(err);
            context.stop();
        }
        assertEquals("{\"path\":\"/health\"}\n", stdout.toString(StandardCharsets.UTF_8));
        String logs = stderr.toString(StandardCharsets.UTF_8);
        assertTrue(logs.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d) WARN  Example - a warning\n"), logs);
    }
}
