package ai.chutes.status.listener;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import java.util.Set;

/**
 * Mode, owner and group the unix socket file gets once bound ({@code status.uds-mode}, {@code -owner},
 * {@code -group}). Connecting needs write permission on the socket file, so the mode decides who can
 * reach the agent at all; the peer allowlist then decides who of those may ask.
 */
public record UnixSocketOwnership(Set<PosixFilePermission> mode, Optional<UserPrincipal> owner, Optional<GroupPrincipal> group) {

    public static final UnixSocketOwnership DEFAULT =
            new UnixSocketOwnership(PosixFilePermissions.fromString("rw-rw----"), Optional.empty(), Optional.empty());

    public UnixSocketOwnership {
        mode = Set.copyOf(mode);
    }
}
