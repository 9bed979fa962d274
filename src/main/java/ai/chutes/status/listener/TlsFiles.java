package ai.chutes.status.listener;

import java.nio.file.Path;

/** PEM certificate chain and private key for HTTPS on the TCP port. */
public record TlsFiles(Path certificate, Path privateKey) {
}
