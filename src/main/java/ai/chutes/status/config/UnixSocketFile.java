package ai.chutes.status.config;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The unix socket's file: a socket left behind by a killed agent is removed before binding, a live one
 * or any other file at that path stops start-up, and the bound socket gets mode 0660.
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

    static void restrict(Path path) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        } catch (IOException e) {
            throw new InvalidConfigurationException("status.uds-path: cannot set mode 0660 on " + path + ": " + e.getMessage());
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
