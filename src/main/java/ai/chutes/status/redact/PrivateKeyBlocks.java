package ai.chutes.status.redact;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM private keys span lines, and in a journal every line carries its own "time host unit[pid]: "
 * prefix, so one regex over the text cannot find them. This walks the lines: from a BEGIN marker to its
 * END marker the key material (the base64 at the end of each line) is replaced, the markers and the
 * journal prefixes stay. A block whose END never comes stops after {@link #MAX_BLOCK_LINES} lines, so a
 * stray BEGIN in a message cannot blank the rest of a page.
 */
final class PrivateKeyBlocks {

    static final String KIND = "private_key";
    static final int MAX_BLOCK_LINES = 128;

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern END = Pattern.compile("-----END (?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----");
    private static final Pattern MATERIAL_AT_END = Pattern.compile("(?<![A-Za-z0-9+/=])[A-Za-z0-9+/=]+(\\s*)$");

    private PrivateKeyBlocks() {
    }

    static String redact(String text, Runnable onEach) {
        if (text.indexOf("PRIVATE KEY") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int blockLines = -1;
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline + 1;
            String line = text.substring(start, end);
            start = end;
            if (blockLines < 0) {
                Matcher begin = BEGIN.matcher(line);
                if (!begin.find()) {
                    out.append(line);
                    continue;
                }
                onEach.run();
                String rest = line.substring(begin.end());
                Matcher close = END.matcher(rest);
                if (close.find()) {
                    // the whole key on one line (newlines escaped as \n in a message)
                    out.append(line, 0, begin.end()).append(SecretPatterns.REDACTED).append(rest.substring(close.start()));
                } else {
                    out.append(line, 0, begin.end()).append(withoutMaterial(rest));
                    blockLines = 0;
                }
                continue;
            }
            Matcher close = END.matcher(line);
            if (close.find()) {
                out.append(withoutMaterial(line.substring(0, close.start()))).append(line.substring(close.start()));
                blockLines = -1;
            } else {
                out.append(withoutMaterial(line));
                blockLines = ++blockLines >= MAX_BLOCK_LINES ? -1 : blockLines;
            }
        }
        return out.toString();
    }

    /** The line with the base64 run that ends it replaced; what precedes it (a journal prefix) stays. */
    private static String withoutMaterial(String line) {
        Matcher material = MATERIAL_AT_END.matcher(line);
        return material.find() ? line.substring(0, material.start()) + SecretPatterns.REDACTED + material.group(1) : line;
    }
}
