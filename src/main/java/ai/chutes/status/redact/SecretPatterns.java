package ai.chutes.status.redact;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The secrets every agent looks for. Each pattern is written to run in linear time on hostile input:
 * runs of key characters are only tried from their start (look-behind) and are length-bounded.
 */
final class SecretPatterns {

    static final String REDACTED = "[REDACTED]";

    /** Not a value again: a line redacted once stays the same when it passes a second time. */
    private static final String NOT_REDACTED = "(?!\\[REDACTED)";

    static final List<RedactionRule> BUILT_IN = List.of(
            // header.payload.signature, both JSON parts base64url of '{"' (signature may be empty: alg none)
            new RedactionRule("jwt", Pattern.compile(
                    "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,}\\.eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*"), REDACTED),
            // RFC 6750 b64token; at least 16 characters and one digit, so "Bearer realm" and prose survive
            new RedactionRule("bearer", Pattern.compile(
                    "(?i)\\b(bearer\\s+)" + NOT_REDACTED + "(?=[A-Za-z0-9._~+/-]{0,512}[0-9])[A-Za-z0-9._~+/-]{16,}=*"),
                    "$1" + REDACTED),
            // AWS access key ids: long-term (AKIA) and temporary (ASIA), 16 upper-case letters or digits
            new RedactionRule("aws_access_key", Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])"),
                    REDACTED),
            // key=value and key: value where the key ends in password, secret, token, api key, ...;
            // the key and separator stay, so a reader still sees which setting was there
            new RedactionRule("key_value", Pattern.compile(
                    "(?i)(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{0,64}?"
                            + "(?:password|passwd|passphrase|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)"
                            + "[\"']?[ \\t]{0,8}[=:][ \\t]{0,8})" + NOT_REDACTED + "(\"[^\"\\n]*\"|'[^'\\n]*'|[^\\s\"',;&]+)"),
                    "$1" + REDACTED),
            // user:password@ in a URL; the user stays
            new RedactionRule("url_credentials", Pattern.compile(
                    "(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}://[^/\\s:@]{1,256}:)" + NOT_REDACTED + "[^/\\s@]{1,256}@"),
                    "$1" + REDACTED + "@"));

    private SecretPatterns() {
    }
}
