package ai.chutes.collector;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/** Checks the collector's own bodies against schemas/ (bundled on the classpath as for the agent's). */
final class CollectorSchemas {

    private static final String ID_PREFIX = "https://chutes.ai/system-status/schemas/";
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private CollectorSchemas() {
    }

    static List<String> problems(String schemaFile, String json) {
        return FACTORY.getSchema(SchemaLocation.of(ID_PREFIX + schemaFile), CONFIG).validate(json, InputFormat.JSON).stream()
                .map(ValidationMessage::getMessage).toList();
    }

    static void assertValid(String schemaFile, String json) {
        List<String> problems = problems(schemaFile, json);
        if (!problems.isEmpty()) {
            throw new AssertionError(schemaFile + ": " + problems + " in " + json.substring(0, Math.min(600, json.length())));
        }
    }
}
