package ai.chutes.status;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;
import java.util.List;

/**
 * The one error shape, for HTTP errors and for the {@code error} of a failed check inside a body:
 * a stable code, one human sentence, and context fields only where they apply.
 */
@Serdeable(naming = SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String message, List<String> command, Integer exitCode, Double timeoutSeconds) {

    public static ErrorBody of(String error, String message) {
        return new ErrorBody(error, message, null, null, null);
    }
}
