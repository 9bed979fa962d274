package ai.chutes.status.command;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a stream to its end while keeping at most {@code cap} bytes (the head or the tail), so a
 * flooding child never blocks on a full pipe and never costs more memory than the cap. The kept bytes
 * are cut on a UTF-8 character boundary when anything was dropped.
 */
final class BoundedCapture {

    private static final int CHUNK = 8192;

    private BoundedCapture() {
    }

    static CapturedStream read(InputStream in, int cap, OutputKeep keep) throws IOException {
        return keep == OutputKeep.HEAD ? readHead(in, cap) : readTail(in, cap);
    }

    private static CapturedStream readHead(InputStream in, int cap) throws IOException {
        byte[] kept = new byte[cap];
        byte[] chunk = new byte[CHUNK];
        int length = 0;
        long total = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            int room = Math.min(n, cap - length);
            System.arraycopy(chunk, 0, kept, length, room);
            length += room;
            total += n;
        }
        boolean truncated = total > cap;
        int end = truncated ? completeCharactersEnd(kept, length) : length;
        return new CapturedStream(Arrays.copyOf(kept, end), truncated, total);
    }

    private static CapturedStream readTail(InputStream in, int cap) throws IOException {
        byte[] ring = new byte[cap];
        byte[] chunk = new byte[CHUNK];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            for (int i = Math.max(0, n - cap); i < n; i++) {
                ring[(int) ((total + i) % cap)] = chunk[i];
            }
            total += n;
        }
        if (total <= cap) {
            return new CapturedStream(Arrays.copyOf(ring, (int) total), false, total);
        }
        byte[] tail = new byte[cap];
        int start = (int) (total % cap);
        System.arraycopy(ring, start, tail, 0, cap - start);
        System.arraycopy(ring, 0, tail, cap - start, start);
        int from = firstCharacterStart(tail);
        return new CapturedStream(Arrays.copyOfRange(tail, from, cap), true, total);
    }

    /** Length of the prefix of {@code bytes[0, length)} that ends on a complete UTF-8 character. */
    static int completeCharactersEnd(byte[] bytes, int length) {
        int i = length - 1;
        int continuation = 0;
        while (i >= 0 && continuation < 3 && isContinuation(bytes[i])) {
            i--;
            continuation++;
        }
        if (i < 0) {
            return length;
        }
        int needed = sequenceLength(bytes[i]);
        return continuation + 1 >= needed ? length : i;
    }

    /** Index of the first byte that is not a UTF-8 continuation byte (at most 3 are skipped). */
    static int firstCharacterStart(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && i < 3 && isContinuation(bytes[i])) {
            i++;
        }
        return i;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        if (b >= 0xF0) {
            return 4;
        }
        if (b >= 0xE0) {
            return 3;
        }
        return b >= 0xC0 ? 2 : 1;
    }
}
