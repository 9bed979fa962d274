package ai.chutes.status.authentication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token file, re-read when it changes: at most once per {@link #CHECK_INTERVAL} a request looks at
 * its size, modification time, inode and mode (following symlinks, so an atomic rename or a swapped symlink
 * counts as a change). A file that turns unreadable, empty, invalid or readable by others fails closed:
 * no token is accepted until it is fixed.
 */
public final class TokenFile {

    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final long MAX_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);

    private final Path path;
    private final LongSupplier nanoTime;
    private volatile Loaded loaded;
    private volatile long nextCheck;

    /** Reads the file now; an unusable file is an {@link IllegalArgumentException} naming what is wrong. */
    public TokenFile(Path path) {
        this(path, System::nanoTime);
    }

    TokenFile(Path path, LongSupplier nanoTime) {
        this.path = path;
        this.nanoTime = nanoTime;
        Stamp stamp = stamp(path).orElseThrow(() -> new IllegalArgumentException("cannot be read"));
        this.loaded = new Loaded(stamp, read(path));
        this.nextCheck = nanoTime.getAsLong() + CHECK_INTERVAL.toNanos();
    }

    /** Checks the file and parses its tokens; the message of the exception says what is wrong. */
    public static void validate(Path path) {
        read(path);
    }

    /** The id of the presented token when it is in the file. */
    Optional<String> match(String presented) {
        long now = nanoTime.getAsLong();
        if (now - nextCheck >= 0) {
            reloadIfChanged(now);
        }
        return loaded.tokens().match(presented);
    }

    private synchronized void reloadIfChanged(long now) {
        if (now - nextCheck < 0) {
            return; // another thread just checked
        }
        nextCheck = now + CHECK_INTERVAL.toNanos();
        Stamp stamp = stamp(path).orElse(null);
        if (Objects.equals(stamp, loaded.stamp())) {
            return;
        }
        TokenSet tokens;
        try {
            tokens = read(path);
            LOG.info("status.auth.token-file changed; {} token(s) now accepted", tokens.size());
        } catch (IllegalArgumentException e) {
            tokens = TokenSet.EMPTY;
            LOG.error("status.auth.token-file {}: {}; no token is accepted until it is fixed", path, e.getMessage());
        }
        loaded = new Loaded(stamp, tokens);
    }

    private static TokenSet read(Path path) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
            if (mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)
                    || mode.contains(PosixFilePermission.GROUP_WRITE)) {
                throw new IllegalArgumentException("must not be readable by others or writable by anyone but its owner"
                        + " (chmod 0600 or 0640)");
            }
            if (Files.size(path) > MAX_BYTES) {
                throw new IllegalArgumentException("is larger than 64 KiB");
            }
            return TokenSet.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Optional<Stamp> stamp(Path path) {
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
            return Optional.of(new Stamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    attributes.fileKey(), attributes.permissions()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** What changes when the file is rewritten, replaced or chmod-ed. */
    private record Stamp(long size, long modifiedNanos, Object fileKey, Set<PosixFilePermission> mode) {
    }

    private record Loaded(Stamp stamp, TokenSet tokens) {
    }
}
