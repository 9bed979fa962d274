package ai.chutes.collector;

/**
 * Agent-sent text made safe for a terminal and for one-line records: control characters (C0, DEL,
 * C1), the Unicode line and paragraph separators and bidirectional controls, become {@code \\uXXXX}, so no agent can move
 * the operator's cursor, colour the screen or forge a line of its own.
 */
final class Escape {

    private Escape() {
    }

    static String text(String raw) {
        StringBuilder safe = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (unsafe(c)) {
                if (safe == null) {
                    safe = new StringBuilder(raw.length() + 16).append(raw, 0, i);
                }
                safe.append(String.format("\\u%04x", (int) c));
            } else if (safe != null) {
                safe.append(c);
            }
        }
        return safe == null ? raw : safe.toString();
    }

    private static boolean unsafe(char c) {
        // bidirectional overrides and isolates reorder what the operator reads (Trojan Source)
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
    }
}
