package ai.chutes.status.push;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The wire format: one {@code {"type":…,"payload":…}} object per line, at most 1 MiB with its newline. */
@Singleton
final class Ndjson {

    static final int MAX_LINE_BYTES = Wire.MAX_LINE_BYTES;

    private final JsonMapper mapper;

    Ndjson(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The encoded line, or empty when it would exceed {@link #MAX_LINE_BYTES} (such a line is never sent). */
    Optional<byte[]> encode(String type, Object payload) {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            line.write(("{\"type\":" + mapper.writeValueAsString(type) + ",\"payload\":").getBytes(StandardCharsets.UTF_8));
            line.write(mapper.writeValueAsBytes(payload));
            line.write("}\n".getBytes(StandardCharsets.UTF_8));
            return line.size() > MAX_LINE_BYTES ? Optional.empty() : Optional.of(line.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code type} of a host's line; the exception's message is the reason sent back in the ack. */
    String typeOf(byte[] line) throws MalformedLineException {
        JsonNode node;
        try {
            node = mapper.readValue(line, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new MalformedLineException("the line is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new MalformedLineException("the line is not a JSON object");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isString() || type.getStringValue().isEmpty()) {
            throw new MalformedLineException("the message has no string field 'type'");
        }
        return type.getStringValue();
    }

    /** A line from the host that cannot be understood; the message is safe to send back. */
    static final class MalformedLineException extends Exception {
        MalformedLineException(String reason) {
            super(reason, null, false, false);
        }
    }
}
