package ai.chutes.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The error vocabulary is written once: each code's wire name appears as a string literal in exactly
 * one main source file, {@link ErrorCode}, so a new error cannot be spelled ad hoc somewhere else.
 */
class ErrorVocabularyTest {

    private static final List<Path> MAIN_SOURCES = List.of(Path.of("src", "main", "java"), Path.of("src", "protocol", "main", "java"));

    @Test
    void everyCodeIsSpelledOnceInMainCode() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : MAIN_SOURCES) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(path -> path.toString().endsWith(".java")).forEach(files::add);
            }
        }
        for (ErrorCode code : ErrorCode.values()) {
            String literal = "\"" + code.code() + "\"";
            List<Path> spelledIn = new ArrayList<>();
            for (Path file : files) {
                String text = Files.readString(file);
                int at = text.indexOf(literal);
                while (at >= 0) {
                    spelledIn.add(file.getFileName());
                    at = text.indexOf(literal, at + 1);
                }
            }
            assertEquals(List.of(Path.of("ErrorCode.java")), spelledIn, code + " is spelled in");
        }
    }

    @Test
    void aBodyKnowsItsCodeAndAStrangerIsInternal() {
        for (ErrorCode code : ErrorCode.values()) {
            assertEquals(code, ErrorBody.of(code).code());
        }
        assertEquals(ErrorCode.INTERNAL, new ErrorBody("no_such_code", "x", null, null, null).code());
    }
}
