package ai.chutes.status.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {

    @Test
    void splitsLinesAndReturnsAFinalLineWithoutNewline() throws IOException {
        BoundedLineReader reader = new BoundedLineReader(stream("a\n\nbc\nlast"), 10);
        assertLine("a", reader.next());
        assertLine("", reader.next());
        assertLine("bc", reader.next());
        assertLine("last", reader.next());
        assertNull(reader.next());
    }

    @Test
    void anOverlongLineIsSkippedToItsNewlineWithoutBeingKept() throws IOException {
        String huge = "x".repeat(5_000_000);
        BoundedLineReader reader = new BoundedLineReader(stream("ok\n" + huge + "\nnext\n" + "y".repeat(11)), 10);
        assertLine("ok", reader.next());
        BoundedLineReader.Line skipped = reader.next();
        assertTrue(skipped.tooLong());
        assertEquals(0, skipped.bytes().length);
        assertLine("next", reader.next());
        assertTrue(reader.next().tooLong(), "an overlong last line without newline");
        assertNull(reader.next());
    }

    @Test
    void exactlyTheLimitIsAccepted() throws IOException {
        BoundedLineReader reader = new BoundedLineReader(stream("0123456789\n01234567890\n"), 10);
        assertLine("0123456789", reader.next());
        assertTrue(reader.next().tooLong());
    }

    private static void assertLine(String expected, BoundedLineReader.Line line) {
        assertFalse(line.tooLong());
        assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), line.bytes());
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
