package ai.chutes.status.push;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads newline-terminated lines without ever holding more than {@code maxBytes} of one: the rest of
 * an over-long line is skipped up to its newline and reported, so the connection stays usable.
 * Shared with the collector (the protocol module).
 */
public final class BoundedLineReader {

    /** One line: its bytes (without the newline), or {@code tooLong} with no bytes kept. */
    public record Line(byte[] bytes, boolean tooLong) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;

    public BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line, or null at the end of the stream (a final line without newline is still returned). */
    public Line next() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean tooLong = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return line.size() > 0 || tooLong ? finish(line, tooLong) : null;
                }
            }
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            if (!tooLong && line.size() + length > maxBytes) {
                tooLong = true;
                line = new ByteArrayOutputStream();
            }
            if (!tooLong) {
                line.write(buffer, start, length);
            }
            if (position < limit) {
                position++;
                return finish(line, tooLong);
            }
        }
    }

    private static Line finish(ByteArrayOutputStream line, boolean tooLong) {
        return new Line(tooLong ? new byte[0] : line.toByteArray(), tooLong);
    }
}
