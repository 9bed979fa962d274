package ai.chutes.status.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The agent's logging, set up in code (found by logback through {@code META-INF/services}) instead of
 * a {@code logback.xml}: parsing XML at start-up loaded the JDK's XML parser and logback's Joran, about
 * 500 classes the agent never needs again. Logs go to standard error; the audit log (logger
 * {@code audit}, one JSON line per request) alone goes to standard output, so systemd can route it
 * elsewhere. The root level is {@code STATUS_LOG_LEVEL} (system property or environment), INFO by
 * default. A {@code logback.configurationFile} property or a {@code logback-test.xml} (the tests')
 * takes precedence: then logback reads that file as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class AgentLogConfigurator extends ContextAwareBase implements Configurator {

    private static final String LOG_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{0} - %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || AgentLogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        configureAgentLogging(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The agent's appenders and levels, whatever files are on the class path. */
    static void configureAgentLogging(LoggerContext context) {
        Logger audit = context.getLogger("audit");
        audit.setLevel(Level.INFO);
        audit.setAdditive(false);
        audit.addAppender(console(context, "AUDIT", "System.out", "%msg%n"));
        context.getLogger("io.netty").setLevel(Level.WARN);
        context.getLogger("io.micronaut").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting("STATUS_LOG_LEVEL"), Level.INFO));
        root.addAppender(console(context, "STDERR", "System.err", LOG_PATTERN));
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, String target, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget(target);
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    /** As logback's {@code ${NAME}}: a system property, else the environment. */
    private static String setting(String name) {
        String value = System.getProperty(name);
        return value != null ? value : System.getenv(name);
    }
}
