package ai.chutes.status.authentication;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer tokens of a token file, kept only as SHA-256 digests. A presented token is hashed and
 * compared with every digest by {@link MessageDigest#isEqual} (constant time for equal lengths, and the
 * digests always have the same length), with no early exit, so the answer's timing says nothing about
 * how close a guess was. A token is known in logs only by its id: the first 12 hex digits of its digest.
 */
final class TokenSet {

    static final TokenSet EMPTY = new TokenSet(List.of());

    /** RFC 6750's b64token, at least 16 characters: anything shorter is guessable. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]{16,4096}=*");
    private static final int ID_HEX_DIGITS = 12;

    private final List<byte[]> digests;

    private TokenSet(List<byte[]> digests) {
        this.digests = List.copyOf(digests);
    }

    /**
     * One token per line; blank lines and lines starting with {@code #} are skipped (so a new token can be
     * added before the old one is removed). Throws with a message that never contains a token.
     */
    static TokenSet parse(String content) {
        List<byte[]> digests = new ArrayList<>();
        String[] lines = content.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!TOKEN.matcher(line).matches()) {
                throw new IllegalArgumentException("line " + (i + 1)
                        + " is not a token of at least 16 letters, digits or -._~+/ characters");
            }
            digests.add(sha256(line));
        }
        if (digests.isEmpty()) {
            throw new IllegalArgumentException("it holds no token");
        }
        return new TokenSet(digests);
    }

    /** The id of the matching token, or empty. Every digest is compared whatever the outcome. */
    Optional<String> match(String presented) {
        byte[] digest = sha256(presented);
        byte[] found = null;
        for (byte[] candidate : digests) {
            if (MessageDigest.isEqual(candidate, digest)) {
                found = candidate;
            }
        }
        return found == null ? Optional.empty() : Optional.of(id(found));
    }

    int size() {
        return digests.size();
    }

    private static String id(byte[] digest) {
        return HexFormat.of().formatHex(digest).substring(0, ID_HEX_DIGITS);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
