package ai.chutes.status.authentication;

import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import jdk.net.UnixDomainPrincipal;

/**
 * The users and groups that may talk to the unix socket, as the kernel reports the peer (SO_PEERCRED:
 * its effective uid and gid when it connected; supplementary groups are not part of that report).
 * Principals compare by number, so a configured {@code 65534} and a peer named {@code nobody} are equal.
 */
public record PeerAllowlist(Set<UserPrincipal> users, Set<GroupPrincipal> groups) {

    public static final PeerAllowlist NONE = new PeerAllowlist(Set.of(), Set.of());

    public PeerAllowlist {
        users = Set.copyOf(users);
        groups = Set.copyOf(groups);
    }

    /** Whether the unix socket checks its peers at all. */
    public boolean active() {
        return !users.isEmpty() || !groups.isEmpty();
    }

    public boolean admits(UnixDomainPrincipal peer) {
        return users.contains(peer.user()) || groups.contains(peer.group());
    }
}
