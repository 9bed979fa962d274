package ai.chutes.status.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An audit entry as its JSON line, written with Jackson's streaming generator: the same characters
 * Micronaut serde writes for the record (AuditLineTest compares the two), without serde's walk over the
 * record's introspection for every line, which was ~15 % of the agent's CPU under a {@code /health}
 * load (a JFR profile, docs/jit-flags.md).
 */
final class AuditLine {

    private static final JsonFactory JSON = new JsonFactory();

    private AuditLine() {
    }

    static String of(AuditEntry entry) {
        // UTF-8 bytes, as serde writes them: that generator escapes a character outside the BMP as its
        // surrogate pair (\uD83D\uDE00), where one writing chars would not.
        ByteArrayBuilder line = new ByteArrayBuilder(320);
        try (JsonGenerator json = JSON.createGenerator(line, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("time", entry.time());
            json.writeStringField("caller", entry.caller());
            json.writeStringField("access", entry.access());
            json.writeStringField("listener", entry.listener());
            json.writeStringField("remote", entry.remote());
            json.writeStringField("peer", entry.peer());
            json.writeStringField("method", entry.method());
            json.writeStringField("path", entry.path());
            json.writeStringField("query", entry.query());
            json.writeFieldName("status");
            if (entry.status() == null) {
                json.writeNull();
            } else {
                json.writeNumber(entry.status());
            }
            json.writeNumberField("duration_ms", entry.durationMs());
            json.writeNumberField("bytes", entry.bytes());
            json.writeArrayFieldStart("commands");
            for (List<String> argv : entry.commands()) {
                json.writeStartArray();
                for (String arg : argv) {
                    json.writeString(arg);
                }
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return new String(line.toByteArray(), StandardCharsets.UTF_8);
    }
}
