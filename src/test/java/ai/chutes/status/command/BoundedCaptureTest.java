package ai.chutes.status.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.chutes.status.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Keeping the head or the tail of a stream under a byte cap, without ever splitting a UTF-8 character. */
class BoundedCaptureTest {

    private static final int CAP = 16384;

    // ---- small streams --------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(OutputKeep.class)
    void streamUnderTheCapIsKeptWhole(OutputKeep keep) throws IOException {
        byte[] data = "LoadState=loaded\nActiveState=active\n".getBytes(StandardCharsets.UTF_8);

        CapturedStream captured = BoundedCapture.read(new ByteArrayInputStream(data), 1024, keep);

        assertArrayEquals(data, captured.bytes());
        assertFalse(captured.truncated());
        assertEquals(data.length, captured.totalBytes());
    }

    @ParameterizedTest
    @EnumSource(OutputKeep.class)
    void streamOfExactlyTheCapIsNotTruncated(OutputKeep keep) throws IOException {
        byte[] data = ascii(1024);

        CapturedStream captured = BoundedCapture.read(new ByteArrayInputStream(data), 1024, keep);

        assertArrayEquals(data, captured.bytes());
        assertFalse(captured.truncated());
        assertEquals(1024, captured.totalBytes());
    }

    @ParameterizedTest
    @EnumSource(OutputKeep.class)
    void emptyStreamGivesNoBytes(OutputKeep keep) throws IOException {
        CapturedStream captured = BoundedCapture.read(new ByteArrayInputStream(new byte[0]), 1024, keep);

        assertEquals(0, captured.bytes().length);
        assertFalse(captured.truncated());
        assertEquals(0, captured.totalBytes());
    }

    @Test
    void headKeepsTheFirstBytes() throws IOException {
        byte[] data = ascii(10_000);

        CapturedStream captured = BoundedCapture.read(new ByteArrayInputStream(data), 1024, OutputKeep.HEAD);

        assertArrayEquals(Arrays.copyOfRange(data, 0, 1024), captured.bytes());
        assertTrue(captured.truncated());
        assertEquals(10_000, captured.totalBytes());
    }

    @Test
    void tailKeepsTheLastBytes() throws IOException {
        byte[] data = ascii(10_000);

        CapturedStream captured = BoundedCapture.read(new ByteArrayInputStream(data), 1024, OutputKeep.TAIL);

        assertArrayEquals(Arrays.copyOfRange(data, 10_000 - 1024, 10_000), captured.bytes());
        assertTrue(captured.truncated());
        assertEquals(10_000, captured.totalBytes());
    }

    @ParameterizedTest
    @EnumSource(OutputKeep.class)
    void resultDoesNotDependOnHowTheStreamIsChunked(OutputKeep keep) throws IOException {
        byte[] data = ascii(40_000);
        CapturedStream whole = BoundedCapture.read(new ByteArrayInputStream(data), CAP, keep);

        for (int chunk : new int[] {1, 7, 4096, 8191, 8192, 8193, 20_000}) {
            CapturedStream chunked = BoundedCapture.read(new ChunkedStream(data, chunk), CAP, keep);
            assertArrayEquals(whole.bytes(), chunked.bytes(), "chunk size " + chunk);
            assertEquals(whole.truncated(), chunked.truncated());
            assertEquals(whole.totalBytes(), chunked.totalBytes());
        }
    }

    // ---- multi-byte characters at the cut --------------------------------------------------------

    /** Every cap from 1 to just under the length, so the cut falls before, inside and after each character. */
    @ParameterizedTest
    @MethodSource("multiByteCases")
    void multiByteCharacterAtTheCutIsNeverSplit(String text, OutputKeep keep, int chunk) throws IOException {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        List<Integer> boundaries = characterBoundaries(text);

        for (int cap = 1; cap < data.length; cap++) {
            CapturedStream captured = BoundedCapture.read(new ChunkedStream(data, chunk), cap, keep);
            String where = keep + " cap=" + cap + " chunk=" + chunk + " text=" + text;

            assertTrue(captured.truncated(), where);
            assertEquals(data.length, captured.totalBytes(), where);
            assertTrue(captured.bytes().length <= cap, where);
            assertValidUtf8(captured.bytes(), where);

            byte[] expected;
            if (keep == OutputKeep.HEAD) {
                int finalCap = cap;
                int end = boundaries.stream().filter(b -> b <= finalCap).mapToInt(Integer::intValue).max().orElseThrow();
                expected = Arrays.copyOfRange(data, 0, end);
            } else {
                int firstKept = data.length - cap;
                int start = boundaries.stream().filter(b -> b >= firstKept).mapToInt(Integer::intValue).min().orElseThrow();
                expected = Arrays.copyOfRange(data, start, data.length);
            }
            assertArrayEquals(expected, captured.bytes(), where);
        }
    }

    static Stream<Arguments> multiByteCases() {
        List<String> texts = List.of(
                "abcé",
                "é€𝄞",
                "x𝄞y",
                "log line é\nnext € line\n𝄞 clef\n",
                "€€€𝄞𝄞ééé");
        List<Arguments> cases = new ArrayList<>();
        for (String text : texts) {
            for (OutputKeep keep : OutputKeep.values()) {
                for (int chunk : new int[] {1, 2, 3, 8192}) {
                    cases.add(Arguments.of(text, keep, chunk));
                }
            }
        }
        return cases.stream();
    }

    /** The same guarantee at a realistic cap, where the cut falls deep inside 8 KiB read chunks. */
    @ParameterizedTest
    @EnumSource(OutputKeep.class)
    void multiByteCharacterAtARealisticCapIsNeverSplit(OutputKeep keep) throws IOException {
        for (String character : List.of("é", "€", "𝄞")) {
            int width = character.getBytes(StandardCharsets.UTF_8).length;
            for (int padding = 0; padding < 2 * width + 2; padding++) {
                String text = "a".repeat(CAP - width - 1 + padding) + character.repeat(3) + "b".repeat(CAP - width - 1 + padding);
                byte[] data = text.getBytes(StandardCharsets.UTF_8);
                String where = keep + " " + character + " padding=" + padding;

                CapturedStream captured = BoundedCapture.read(new ByteArrayInputStream(data), CAP, keep);

                assertTrue(captured.truncated(), where);
                assertTrue(captured.bytes().length <= CAP && captured.bytes().length > CAP - width, where);
                assertValidUtf8(captured.bytes(), where);
                String kept = new String(captured.bytes(), StandardCharsets.UTF_8);
                assertTrue(keep == OutputKeep.HEAD ? text.startsWith(kept) : text.endsWith(kept), where);
            }
        }
    }

    // ---- a flood ---------------------------------------------------------------------------------

    /** 50 MB generated on the fly: the test never holds the stream, and the capture keeps at most the cap. */
    @ParameterizedTest
    @MethodSource("floodCases")
    void fiftyMegabyteFloodIsReadToTheEndButOnlyTheCapIsKept(OutputKeep keep, int cap) throws IOException {
        long total = 50_000_000L;

        CapturedStream captured = BoundedCapture.read(new PatternStream(total), cap, keep);

        assertEquals(total, captured.totalBytes());
        assertTrue(captured.truncated());
        byte[] kept = captured.bytes();
        assertTrue(kept.length <= cap && kept.length > cap - 4, "kept " + kept.length + " of cap " + cap);
        assertValidUtf8(kept, keep + " cap=" + cap);
        long offset = keep == OutputKeep.HEAD ? 0 : total - kept.length;
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] != PatternStream.byteAt(offset + i)) {
                fail(keep + ": kept byte " + i + " is not stream byte " + (offset + i));
            }
        }
    }

    static Stream<Arguments> floodCases() {
        // 16384 cuts the repeating unit on ASCII at both ends; 16397 cuts inside 𝄞 (head) and é (tail).
        return Stream.of(
                Arguments.of(OutputKeep.HEAD, CAP), Arguments.of(OutputKeep.TAIL, CAP),
                Arguments.of(OutputKeep.HEAD, CAP + 13), Arguments.of(OutputKeep.TAIL, CAP + 13));
    }

    @Test
    void floodPatternReallyCutsInsideCharactersAtTheOddCap() {
        int cap = CAP + 13;
        assertTrue(PatternStream.isContinuation(cap), "head cut should fall inside a character");
        assertTrue(PatternStream.isContinuation(50_000_000L - cap), "tail cut should fall inside a character");
    }

    // ---- real nvidia-smi output ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("nvidiaSmiFixtures")
    void realNvidiaSmiOutputPassesThroughHeadCapture(String relative) throws IOException {
        byte[] file = Fixtures.bytes(relative);

        CapturedStream captured;
        try (InputStream in = Files.newInputStream(Fixtures.path(relative))) {
            captured = BoundedCapture.read(in, CAP, OutputKeep.HEAD);
        }

        assertEquals(file.length, captured.totalBytes());
        if (file.length <= CAP) {
            assertFalse(captured.truncated());
            assertArrayEquals(file, captured.bytes());
        } else {
            assertTrue(captured.truncated());
            assertTrue(captured.bytes().length <= CAP && captured.bytes().length > CAP - 4);
            assertArrayEquals(Arrays.copyOf(file, captured.bytes().length), captured.bytes(), "kept bytes are a prefix");
        }
        assertValidUtf8(captured.bytes(), relative);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nvidiaSmiFixtures")
    void realNvidiaSmiOutputPassesThroughTailCapture(String relative) throws IOException {
        byte[] file = Fixtures.bytes(relative);

        CapturedStream captured;
        try (InputStream in = Files.newInputStream(Fixtures.path(relative))) {
            captured = BoundedCapture.read(in, CAP, OutputKeep.TAIL);
        }

        assertEquals(file.length, captured.totalBytes());
        assertEquals(file.length > CAP, captured.truncated());
        int kept = captured.bytes().length;
        assertArrayEquals(Arrays.copyOfRange(file, file.length - kept, file.length), captured.bytes(), "kept bytes are a suffix");
        if (file.length <= CAP) {
            assertEquals(file.length, kept);
        }
    }

    @Test
    void nvidiaSmiFixturesIncludeFilesBothUnderAndOverTheCap() throws IOException {
        List<String> all = nvidiaSmiFixtures().toList();
        assertEquals(32, all.size(), "14 table + 18 -q captures");
        long over = 0;
        for (String relative : all) {
            if (Files.size(Fixtures.path(relative)) > CAP) {
                over++;
            }
        }
        assertTrue(over > 0 && over < all.size(), over + " of " + all.size() + " are over the cap");
    }

    static Stream<String> nvidiaSmiFixtures() throws IOException {
        List<String> files = new ArrayList<>();
        for (String sub : List.of("nvidia-smi-table", "nvidia-smi-q")) {
            try (Stream<Path> listing = Files.list(Fixtures.dir(sub))) {
                listing.filter(Files::isRegularFile)
                        .map(path -> sub + "/" + path.getFileName())
                        .sorted()
                        .forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            fail("no nvidia-smi fixtures found under " + Fixtures.ROOT.toAbsolutePath().normalize());
        }
        return files.stream();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static byte[] ascii(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i % 50 == 49 ? '\n' : 'a' + i % 26);
        }
        return data;
    }

    /** Byte offsets at which a character starts, plus the end: the only places a cut may fall. */
    private static List<Integer> characterBoundaries(String text) {
        List<Integer> boundaries = new ArrayList<>();
        int offset = 0;
        boundaries.add(0);
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            offset += new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            boundaries.add(offset);
            i += Character.charCount(codePoint);
        }
        return boundaries;
    }

    /** Strict decode (no replacement), no U+FFFD, and re-encoding gives the same bytes. */
    private static void assertValidUtf8(byte[] bytes, String where) {
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("kept bytes are not valid UTF-8 (" + where + ")", e);
        }
        assertFalse(decoded.contains("\uFFFD"), "U+FFFD in kept text (" + where + ")");
        assertArrayEquals(bytes, decoded.getBytes(StandardCharsets.UTF_8), "round trip (" + where + ")");
    }

    /** Hands out a byte array at most {@code chunk} bytes per read, like a pipe delivering small writes. */
    private static final class ChunkedStream extends InputStream {
        private final byte[] data;
        private final int chunk;
        private int position;

        ChunkedStream(byte[] data, int chunk) {
            this.data = data;
            this.chunk = chunk;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, chunk), data.length - position);
            System.arraycopy(data, position, b, off, n);
            position += n;
            return n;
        }
    }

    /** A long stream of a repeating 21-byte UTF-8 line, generated on the fly. */
    private static final class PatternStream extends InputStream {
        private static final byte[] UNIT = "0123456789 é€𝄞\n".getBytes(StandardCharsets.UTF_8);
        private final long length;
        private long position;

        PatternStream(long length) {
            this.length = length;
        }

        static byte byteAt(long position) {
            return UNIT[(int) (position % UNIT.length)];
        }

        static boolean isContinuation(long position) {
            return (byteAt(position) & 0xC0) == 0x80;
        }

        @Override
        public int read() {
            return position < length ? byteAt(position++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (position >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = byteAt(position + i);
            }
            position += n;
            return n;
        }
    }
}
