package ai.chutes.collector;

import ai.chutes.status.push.Wire;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Checks each received line against the agent's schema for its type (bundled from ../schemas). */
final class MessageValidator {

    private static final String ID_PREFIX = "https://chutes.ai/system-status/schemas/";

    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private final Map<String, JsonSchema> byType = new ConcurrentHashMap<>();

    /** The problems with {@code line}, or an empty list when it is a valid message of a known type. */
    List<String> problems(String type, String line) {
        if (!Wire.AGENT_TYPES.contains(type)) {
            return List.of("unknown message type '" + abbreviate(type) + "'");
        }
        JsonSchema schema = byType.computeIfAbsent(type, t ->
                factory.getSchema(SchemaLocation.of(ID_PREFIX + "push-" + t.replace('_', '-') + ".schema.json"), config));
        return schema.validate(line, InputFormat.JSON).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    static String abbreviate(String text) {
        return abbreviate(text, 40);
    }

    static String abbreviate(String text, int max) {
        return text.length() > max ? text.substring(0, max) + "…" : text;
    }
}
