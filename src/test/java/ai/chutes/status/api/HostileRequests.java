package ai.chutes.status.api;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Generates the hostile requests of the adversarial suite, by category. Every one must be refused with
 * a 4xx; those marked {@code mayClose} are not well-formed HTTP (raw control characters, requests over
 * the size limits) and may instead end in a closed connection.
 */
final class HostileRequests {

    record Case(String category, String label, byte[] bytes, boolean mayClose) {
    }

    static final List<String> ENDPOINTS = List.of("/health", "/services", "/services/k3s/status", "/services/k3s/logs",
            "/gpu/nvidia-smi", "/overview", "/metrics", "/nosuch");

    /** Service ids that are not on the allowlist, however they decode. */
    static final List<String> IDS = List.of("..", "../..", "../../etc/passwd", "..\\..\\windows\\win.ini", "/etc/passwd",
            "k3s/../k3s", "k3s/..", "./k3s", "k3s/.", ".", "...", "~", "~root", "k3s.service", "K3S", "k3s ", " k3s", "k3s\t",
            "-k3s", "--help", "--unit=ssh.service", "k3s;id", "k3s|id", "k3s&&id", "$(id)", "`id`", "k3s%", "%", "*", "?", "#",
            "[k3s]", "{k3s}", "k3s\u0000", "k3s\n", "k3s\r\nX-Injected: 1", "\u00e9t\u00e9", "\u202ek3s", "\uff4b\uff13\uff53",
            "k3s\u200b", "a".repeat(64), "a".repeat(300), "admission-controller\u0000k3s", "nvidia-smi", "systemctl", "null",
            "undefined", "0", "-1", "1e9", "k3s'--", "k3s\" OR \"1\"=\"1", "<script>alert(1)</script>", "${jndi:ldap://x/a}",
            "{{7*7}}", "k3s/status", "k3s%2Fstatus", "%2e%2e");

    /** Strings that must never reach an argv, for every query parameter. */
    static final List<String> INJECTIONS = List.of(";id", "|id", "&&id", "$(id)", "`id`", "' OR '1'='1", "\" OR 1=1--",
            "<script>alert(1)</script>", "{{7*7}}", "${7*7}", "${jndi:ldap://x/a}", "\u0000", "\n--since=yesterday", "\r\n",
            "--help", "-q", "--unit=ssh.service", "-i 0 -q", "../../etc/passwd", "/etc/shadow", "1;id", "1|id", "1 2",
            "1\t2", "0x10", "1e3", "1.0", "+5", "-0x1", "\uff11\uff10", "\u0663", "NaN", "Infinity", "null", "[]", "{}",
            "a".repeat(5000), "%2e%2e%2f", "%252e", "\u202e1", "1\u0000", "AAAA%n%n%n", "=", "#", "yes please", "",
            "5 --since=@0", "0 -q", "all;id", "all -q");

    static final Map<String, String> PARAMETERS = new LinkedHashMap<>();

    static {
        PARAMETERS.put("lines", "/services/k3s/logs");
        PARAMETERS.put("since_minutes", "/services/k3s/logs");
        PARAMETERS.put("gpu", "/gpu/nvidia-smi");
        PARAMETERS.put("detail", "/gpu/nvidia-smi");
    }

    private final String bearer;

    HostileRequests(String token) {
        this.bearer = "Bearer " + token;
    }

    List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(serviceIds());
        cases.addAll(rawTraversal());
        cases.addAll(controlCharacters());
        cases.addAll(injections());
        cases.addAll(numericOverflow());
        cases.addAll(hugeAndDuplicateParameters());
        cases.addAll(overlong());
        cases.addAll(methods());
        cases.addAll(headers());
        cases.addAll(credentials());
        return dedupe(cases);
    }

    /** Every id under five encodings, on both per-service endpoints. */
    List<Case> serviceIds() {
        Map<String, UnaryOperator<String>> encodings = new LinkedHashMap<>();
        encodings.put("percent", HostileRequests::percent);
        encodings.put("every-byte", HostileRequests::everyByte);
        encodings.put("double", text -> percent(text).replace("%", "%25"));
        encodings.put("lower-hex", HostileRequests::lowerHex);
        encodings.put("overlong-utf8", HostileRequests::overlong);
        List<Case> cases = new ArrayList<>();
        for (String id : IDS) {
            for (Map.Entry<String, UnaryOperator<String>> encoding : encodings.entrySet()) {
                String encoded = encoding.getValue().apply(id);
                cases.add(get("service id (" + encoding.getKey() + ")", "/services/" + encoded + "/status", true, false));
                cases.add(get("service id (" + encoding.getKey() + ")", "/services/" + encoded + "/logs?lines=5", true, false));
            }
        }
        return cases;
    }

    /** Dot segments and look-alike paths, sent as they are, with and without a token. */
    List<Case> rawTraversal() {
        List<String> paths = List.of("/services/../services/k3s/status", "/services/k3s/../k3s/status", "/../services",
                "/services/./k3s/status", "/./health/../overview", "//services/k3s/status", "/services//k3s/status",
                "/services/k3s/status/..", "/%2e%2e/services", "/services/%2e%2e/services/k3s/status",
                "/services\\..\\k3s\\status", "/services/k3s/status%00", "/services/k3s/status;x", "/services/k3s/status%3bx",
                "/services/k3s%2fstatus", "/gpu/../services", "/health/../services", "/health/%2e%2e/overview",
                "/health/..%2foverview", "/health%2f..%2foverview", "/HEALTH", "/Services", "/overview/..", "/metrics/../overview",
                "/gpu/nvidia-smi/../../etc/passwd", "/etc/passwd", "/proc/self/environ", "/.env", "/actuator/env",
                "/server-status", "/WEB-INF/web.xml", "/services/k3s/status.json", "/services/k3s", "/services/k3s/",
                "/services/k3s/journal", "/gpu", "/gpu/", "/gpu/nvidia-smi/x", "/health.json", "/health/x", "/metrics/x",
                "/overview.php", "/index.html", "/favicon.ico", "/robots.txt", "/%", "/%zz", "/%C0%AE%C0%AE/services",
                "/services/%u002e%u002e/status", "/services/\u00e9/status", "*",
                "https://127.0.0.1/overview/..", "overview", "/services/k3s/logs/../status");
        List<Case> cases = new ArrayList<>();
        for (String path : paths) {
            cases.add(get("raw traversal", path, true, false));
            cases.add(get("raw traversal (no token)", path, false, false));
        }
        return cases;
    }

    /** Every C0 control and DEL, percent-encoded into ids and parameters, and raw in the request line. */
    List<Case> controlCharacters() {
        List<Case> cases = new ArrayList<>();
        List<Integer> controls = new ArrayList<>();
        for (int c = 0; c <= 0x20; c++) {
            controls.add(c);
        }
        controls.add(0x7f);
        for (int c : controls) {
            String hex = "%" + HexFormat.of().withUpperCase().toHexDigits((byte) c);
            cases.add(get("control characters", "/services/k3s" + hex + "/status", true, false));
            cases.add(get("control characters", "/services/" + hex + "k3s/logs?lines=5", true, false));
            cases.add(get("control characters", "/services/k3s/logs?lines=5" + hex, true, false));
            cases.add(get("control characters", "/services/k3s/logs?since_minutes=" + hex + "5", true, false));
            cases.add(get("control characters", "/gpu/nvidia-smi?gpu=0" + hex, true, false));
            cases.add(get("control characters", "/gpu/nvidia-smi?detail=true" + hex, true, false));
        }
        for (int c : new int[] {0x00, 0x01, 0x07, 0x08, 0x0b, 0x0c, 0x1b, 0x7f, 0x0d, 0x0a}) {
            byte[] bytes = concat(("GET /services/k3s").getBytes(StandardCharsets.ISO_8859_1), new byte[] {(byte) c},
                    ("/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            cases.add(new Case("control characters (raw)", "raw 0x" + Integer.toHexString(c) + " in path", bytes, true));
            byte[] header = concat(("GET /services HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + bearer + "\r\nX-Note: a")
                    .getBytes(StandardCharsets.ISO_8859_1), new byte[] {(byte) c}, "b\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            if (c != 0x09 && c != 0x20) {
                cases.add(new Case("control characters (raw)", "raw 0x" + Integer.toHexString(c) + " in a header", header, true));
            }
        }
        return cases;
    }

    List<Case> injections() {
        List<Case> cases = new ArrayList<>();
        for (Map.Entry<String, String> parameter : PARAMETERS.entrySet()) {
            for (String injection : INJECTIONS) {
                cases.add(get("injection in " + parameter.getKey(), parameter.getValue() + "?" + parameter.getKey() + "=" + percent(injection),
                        true, false));
            }
        }
        return cases;
    }

    List<Case> numericOverflow() {
        Map<String, List<String>> values = new LinkedHashMap<>();
        values.put("lines", List.of("1" + "0".repeat(64), "-" + "9".repeat(65), "9".repeat(100), "9".repeat(1000),
                "18446744073709551616" + "0".repeat(50), "1e400", "0." + "0".repeat(400) + "1"));
        values.put("since_minutes", List.of("1441", "2147483648", "9223372036854775808", "-2147483649", "0", "-0",
                "1" + "0".repeat(30), "-1", "99999999999999999999999", "1" + "0".repeat(64), "4294967297"));
        values.put("gpu", List.of("2147483648", "4294967296", "9223372036854775808", "18446744073709551616", "-1",
                "-2147483648", "1" + "0".repeat(64), "-9223372036854775809", "2147483647" + "0", "0" + "9".repeat(70)));
        List<Case> cases = new ArrayList<>();
        values.forEach((name, list) -> list.forEach(value ->
                cases.add(get("numeric overflow in " + name, PARAMETERS.get(name) + "?" + name + "=" + value, true, false))));
        return cases;
    }

    List<Case> hugeAndDuplicateParameters() {
        List<String> queries = List.of("/services/k3s/logs?lines=5&lines=6", "/services/k3s/logs?lines=5&lines=5",
                "/gpu/nvidia-smi?gpu=0&gpu=1", "/gpu/nvidia-smi?gpu=0&gpu=all", "/gpu/nvidia-smi?detail=true&detail=false",
                "/services/k3s/logs?since_minutes=5&since_minutes=10", "/services/k3s/logs?lines=5&lines=abc",
                "/services/k3s/logs?lines=5" + "&lines=5".repeat(100), "/services/k3s/logs?" + "x=1&".repeat(40) + "lines=5",
                "/services/k3s/logs?" + "x=1&".repeat(2000) + "lines=abc", "/services/k3s/logs?lines=5&line%73=6",
                "/gpu/nvidia-smi?gpu=0&%67pu=1", "/gpu/nvidia-smi?gpu=0&GPU=1&gpu=2", "/services/k3s/logs?lines=" + "5".repeat(15000),
                "/gpu/nvidia-smi?detail=" + "t".repeat(12000), "/gpu/nvidia-smi?gpu=" + "0".repeat(8000) + "x",
                "/services/k3s/logs?since_minutes=" + "1".repeat(9000), "/services/k3s/logs?lines=5;lines=6",
                "/gpu/nvidia-smi?gpu=0;gpu=1", "/services/k3s/logs?lines=5&&lines=6",
                "/services/k3s/logs?lines=5&lines[]=6&lines[0]=7&lines[]=8");
        List<Case> cases = new ArrayList<>();
        for (String query : queries) {
            cases.add(get("huge and duplicate parameters", query, true, false));
        }
        return cases;
    }

    /** Paths and query strings around and far over the 16 KiB request-line limit. */
    List<Case> overlong() {
        List<Case> cases = new ArrayList<>();
        for (int length : new int[] {1_000, 4_000, 8_000, 16_000, 16_400, 20_000, 65_536, 1_048_576}) {
            boolean huge = length > 65_536;
            cases.add(get("overlong path", "/services/" + "a".repeat(length) + "/status", true, huge));
            cases.add(get("overlong path", "/" + "../".repeat(length / 3), true, huge));
            cases.add(get("overlong query", "/services/k3s/logs?lines=" + "9".repeat(length), true, huge));
            cases.add(get("overlong query", "/gpu/nvidia-smi?gpu=" + "%2e".repeat(length / 3), true, huge));
        }
        return cases;
    }

    List<Case> methods() {
        List<String> methods = List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "LOCK",
                "FOO", "get", "G\u00c9T");
        List<Case> cases = new ArrayList<>();
        for (String method : methods) {
            for (String endpoint : ENDPOINTS) {
                cases.add(request("unexpected method", method, endpoint, true, "\r\n", false));
            }
        }
        for (String endpoint : ENDPOINTS) {
            cases.add(request("unexpected method (with body)", "POST", endpoint, true,
                    "Content-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"unit\":\"ssh\"}\r\n", false));
            cases.add(request("unexpected method (huge body)", "PUT", endpoint, true,
                    "Content-Length: 100000\r\n\r\n" + "x".repeat(100_000), true));
        }
        cases.add(new Case("unexpected method", "CONNECT", ("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\nAuthorization: "
                + bearer + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false));
        return cases;
    }

    List<Case> headers() {
        List<Case> cases = new ArrayList<>();
        cases.add(withHeaders("oversized headers", "/health", "X-Big: " + "a".repeat(20_000) + "\r\n", false));
        cases.add(withHeaders("oversized headers", "/services", "X-Big: " + "a".repeat(70_000) + "\r\n", true));
        cases.add(withHeaders("oversized headers", "/services", "X-H: v\r\n".repeat(3000), false));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        cases.add(withHeaders("oversized headers", "/overview", many.toString(), false));
        cases.add(withHeaders("oversized headers", "/services", "Cookie: " + "c=1; ".repeat(5000) + "\r\n", false));
        cases.add(withHeaders("oversized headers", "/services", "X-" + "n".repeat(20_000) + ": v\r\n", false));
        cases.add(withHeaders("request framing", "/health", "Content-Length: 5000\r\n", "x".repeat(5000), false));
        cases.add(withHeaders("request framing", "/services", "Content-Length: 3\r\n", "abc", false));
        cases.add(withHeaders("request framing", "/services", "Content-Length: abc\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Content-Length: -1\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Content-Length: 3\r\nContent-Length: 4\r\n", "abcd", false));
        cases.add(withHeaders("request framing", "/services", "Transfer-Encoding: chunked\r\n", "0\r\n\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
                "0\r\n\r\nGET /overview HTTP/1.1\r\nHost: x\r\n\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Transfer-Encoding : chunked\r\n", "0\r\n\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Expect: 100-continue\r\nContent-Length: 100000000\r\n", false));
        cases.add(withHeaders("request framing", "/services", "Host: 127.0.0.1\r\nHost: evil.example\r\n", false));
        // Without Connection: close: a second request hidden in the body is refused, or, when the agent reads
        // it as a pipelined request of its own, still passes the access checks (it carries no token).
        cases.add(new Case("request framing", "smuggled by chunked body", ("GET /services HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: " + bearer + "\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + "GET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false));
        cases.add(new Case("request framing", "smuggled by content-length", ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 41\r\n\r\nGET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false));
        cases.add(new Case("request framing", "smuggled by CL and TE", ("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /overview HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), false));
        cases.add(new Case("request framing", "no Host header", ("GET /services HTTP/1.1\r\nAuthorization: " + bearer
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false));
        cases.add(withHeaders("request framing", "/services", "Bad Header: x\r\n", true));
        cases.add(withHeaders("request framing", "/services", ": no-name\r\n", true));
        cases.add(new Case("request framing", "HTTP/2 preface on HTTP/1.1", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), true));
        cases.add(new Case("request framing", "version 9.9", ("GET /services HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1), true));
        cases.add(new Case("request framing", "garbage", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1), true));
        return cases;
    }

    /** Protected endpoints with credentials that are almost right, or headers that claim another origin. */
    List<Case> credentials() {
        String token = bearer.substring("Bearer ".length());
        List<String> authorizations = List.of("Bearer " + "a".repeat(8000), "Bearer " + token + " extra", "Bearer\t" + token,
                "Bearer " + token + "=", "Bearer " + token.substring(0, token.length() - 1) + "X", "Bearer " + token.toUpperCase(Locale.ROOT),
                "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + token).getBytes(StandardCharsets.UTF_8)),
                "Token " + token, "Bearer", "Bearer ", token, "Bearer \uff41" + token.substring(1), "Bearer " + token + "\u0000",
                "Bearer null", "Bearer undefined", "Bearer ../../tokens", "Bearer ${jndi:ldap://x/a}");
        List<Case> cases = new ArrayList<>();
        for (String endpoint : List.of("/overview", "/services/k3s/logs", "/gpu/nvidia-smi", "/metrics")) {
            for (String authorization : authorizations) {
                cases.add(request("credentials", "GET", endpoint, false, "Authorization: " + authorization + "\r\n\r\n", false));
            }
            for (String origin : List.of("X-Forwarded-For: 127.0.0.1", "X-Real-IP: 127.0.0.1", "Forwarded: for=127.0.0.1",
                    "X-Forwarded-User: admin", "X-Client-Cert: CN=prometheus", "Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token)) {
                cases.add(request("credentials", "GET", endpoint, false, origin + "\r\n\r\n", false));
            }
        }
        return cases;
    }

    private Case get(String category, String target, boolean withToken, boolean mayClose) {
        return request(category, "GET", target, withToken, "\r\n", mayClose);
    }

    private Case withHeaders(String category, String target, String headers, boolean mayClose) {
        return request(category, "GET", target, true, headers + "\r\n", mayClose);
    }

    private Case withHeaders(String category, String target, String headers, String body, boolean mayClose) {
        return request(category, "GET", target, true, headers + "\r\n" + body, mayClose);
    }

    /** {@code rest} follows the standard headers: more headers, the blank line, and any body. */
    private Case request(String category, String method, String target, boolean withToken, String rest, boolean mayClose) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(method.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(" ".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(target.getBytes(StandardCharsets.UTF_8));
        String head = " HTTP/1.1\r\n" + (rest.startsWith("Host:") ? "" : "Host: 127.0.0.1\r\n")
                + (withToken ? "Authorization: " + bearer + "\r\n" : "") + "Connection: close\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(rest.getBytes(StandardCharsets.ISO_8859_1));
        String label = method + " " + shorten(target) + (rest.length() > 4 ? " + " + shorten(rest.strip()) : "");
        return new Case(category, label, out.toByteArray(), mayClose);
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "...(" + text.length() + ")" : text;
    }

    /** Unreserved characters stay, every other UTF-8 byte becomes %XX (what a careful client sends). */
    static String percent(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** Percent-encoded with lower-case hex digits, the letters of the text kept as they are. */
    private static String lowerHex(String text) {
        StringBuilder out = new StringBuilder();
        String encoded = percent(text);
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length()) {
                out.append('%').append(encoded.substring(i + 1, i + 3).toLowerCase(Locale.ROOT));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String everyByte(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
        }
        return out.toString();
    }

    /** '.', '/' and '\' as the overlong two-byte UTF-8 forms old decoders accepted. */
    private static String overlong(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '.' -> out.append("%C0%AE");
                case '/' -> out.append("%C0%AF");
                case '\\' -> out.append("%C1%9C");
                default -> out.append(percent(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static List<Case> dedupe(List<Case> cases) {
        Map<String, Case> unique = new LinkedHashMap<>();
        for (Case c : cases) {
            unique.putIfAbsent(new String(c.bytes(), StandardCharsets.ISO_8859_1), c);
        }
        return List.copyOf(unique.values());
    }
}
