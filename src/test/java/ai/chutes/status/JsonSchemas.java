package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Validates response bodies against the JSON Schemas in the repository's {@code schemas/} directory.
 * Every schema is served from its file under its {@code $id}, so relative {@code $ref}s resolve offline.
 */
public final class JsonSchemas {

    private static final Path DIRECTORY = Path.of("schemas");
    private static final Map<String, String> ID_BY_FILE = new HashMap<>();
    private static final JsonSchemaFactory FACTORY = factory();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /** Fails with every validation message when {@code json} does not match {@code schemas/<schemaFileName>}. */
    public static void assertValid(String schemaFileName, String json) {
        Set<ValidationMessage> messages = schema(schemaFileName).validate(json, InputFormat.JSON);
        if (!messages.isEmpty()) {
            fail("body does not match " + schemaFileName + ":\n  "
                    + messages.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("\n  "))
                    + "\nbody: " + json);
        }
    }

    private static JsonSchema schema(String fileName) {
        String id = ID_BY_FILE.get(fileName);
        if (id == null) {
            throw new IllegalArgumentException("no schema " + fileName + " in " + DIRECTORY.toAbsolutePath());
        }
        return CACHE.computeIfAbsent(id, key -> FACTORY.getSchema(SchemaLocation.of(key), CONFIG));
    }

    private static JsonSchemaFactory factory() {
        ObjectMapper mapper = new ObjectMapper();
        Map<String, String> textById = new HashMap<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".schema.json")).toList()) {
                String text = Files.readString(file);
                String id = mapper.readTree(text).path("$id").asText();
                if (id.isEmpty()) {
                    throw new IllegalStateException(file + " has no $id");
                }
                textById.put(id, text);
                ID_BY_FILE.put(file.getFileName().toString(), id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaLoaders(loaders -> loaders.schemas(textById)));
    }
}
