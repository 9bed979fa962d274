package ai.chutes.status.listener;

import ai.chutes.status.settings.InvalidConfigurationException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The unix socket's file: a socket left behind by a killed agent is removed before binding, a live one
 * or any other file at that path stops start-up, and the bound socket gets its mode, owner and group.
 */
final class UnixSocketFile {

    private UnixSocketFile() {
    }

    static void prepare(Path path) {
        Path parent = path.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new InvalidConfigurationException("status.uds-path: directory " + parent + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new InvalidConfigurationException("status.uds-path: directory " + parent + " is not writable");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!isSocket(path)) {
            throw new InvalidConfigurationException("status.uds-path: " + path + " exists and is not a socket; refusing to replace it");
        }
        if (answers(path)) {
            throw new InvalidConfigurationException("status.uds-path: " + path + " is in use by a running process");
        }
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new InvalidConfigurationException("status.uds-path: cannot remove the stale socket " + path + ": " + e.getMessage());
        }
    }

    static void restrict(Path path, UnixSocketOwnership ownership) {
        // Group and owner first, the mode last: the mode is what lets others in. (Following links: the path
        // was just bound by us, and the JDK cannot change a socket's mode without following, it opens it.)
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        try {
            if (ownership.group().isPresent()) {
                view.setGroup(ownership.group().get());
            }
            if (ownership.owner().isPresent()) {
                view.setOwner(ownership.owner().get());
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException("status.uds-owner/-group: cannot change the owner of " + path
                    + " (changing the owner needs root; the group, membership of it): " + e.getMessage());
        }
        try {
            view.setPermissions(ownership.mode());
        } catch (IOException e) {
            throw new InvalidConfigurationException("status.uds-mode: cannot set mode "
                    + PosixFilePermissions.toString(ownership.mode()) + " on " + path + ": " + e.getMessage());
        }
    }

    private static boolean isSocket(Path path) {
        try {
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(Path path) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return channel.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            return false;
        }
    }
}
