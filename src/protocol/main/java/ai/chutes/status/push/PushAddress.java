package ai.chutes.status.push;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Where the push channel dials or listens: {@code vsock://CID:PORT}, {@code tcp://HOST:PORT} or
 * {@code unix:///path}. {@code auto} picks vsock to the host (CID 2, port 1024, stereosd's defaults)
 * when this machine has a vsock CID of 3 or more, else TCP on loopback port 1024.
 */
public record PushAddress(Transport transport, String host, int cid, int port, Path path) {

    public enum Transport { TCP, UNIX, VSOCK }

    public static final int HOST_CID = 2;
    public static final int DEFAULT_PORT = 1024;
    /** VMADDR_CID_ANY: listen on every local CID. */
    public static final int ANY_CID = -1;
    private static final int FIRST_GUEST_CID = 3;

    /**
     * Parses an explicit address or {@code auto} (only then is the local CID looked up); the exception's
     * message names what is wrong.
     */
    public static PushAddress parse(String raw, Supplier<OptionalInt> localVsockCid) {
        String text = raw.trim();
        if (text.equalsIgnoreCase("auto")) {
            OptionalInt cid = localVsockCid.get();
            return cid.isPresent() && cid.getAsInt() >= FIRST_GUEST_CID
                    ? new PushAddress(Transport.VSOCK, null, HOST_CID, DEFAULT_PORT, null)
                    : new PushAddress(Transport.TCP, "127.0.0.1", 0, DEFAULT_PORT, null);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not an address such as vsock://2:1024, tcp://host:port or unix:///path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "tcp" -> new PushAddress(Transport.TCP, requireHost(uri), 0, requirePort(uri), null);
            case "vsock" -> vsock(uri);
            case "unix" -> unix(uri);
            default -> throw new IllegalArgumentException("must start with vsock://, tcp:// or unix://");
        };
    }

    @Override
    public String toString() {
        return switch (transport) {
            case TCP -> "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
            case VSOCK -> "vsock://" + cid + ":" + port;
            case UNIX -> "unix://" + path;
        };
    }

    private static PushAddress unix(URI uri) {
        String path = uri.getPath();
        if (uri.getHost() != null || uri.getRawAuthority() != null || path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("needs an absolute socket path, as in unix:///run/collector.sock");
        }
        return new PushAddress(Transport.UNIX, null, 0, 0, Path.of(path).normalize());
    }

    private static String requireHost(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("needs a host, as in tcp://127.0.0.1:1024");
        }
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int requirePort(URI uri) {
        int port = uri.getPort();
        if (port < 1 || port > 65535 || uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("needs a port between 1 and 65535 and nothing after it");
        }
        return port;
    }

    /** The vsock authority is CID:PORT; the CID is a number (-1 means any, for listening). */
    private static PushAddress vsock(URI uri) {
        String authority = uri.getRawAuthority();
        int colon = authority == null ? -1 : authority.lastIndexOf(':');
        if (colon <= 0 || uri.getPath() != null && !uri.getPath().isEmpty()) {
            throw new IllegalArgumentException("needs CID:PORT and nothing after it, as in vsock://2:1024");
        }
        int cid;
        int port;
        try {
            cid = Integer.parseInt(authority.substring(0, colon));
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("needs a numeric CID and port, as in vsock://2:1024");
        }
        if (cid < ANY_CID) {
            throw new IllegalArgumentException("has a negative CID; only -1 (any, for listening) is allowed");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("needs a port between 1 and 65535");
        }
        return new PushAddress(Transport.VSOCK, null, cid, port, null);
    }
}
