package ai.chutes.status.authentication;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * What one connection says about its caller, read once when its first request arrives: the listener,
 * the remote address (TCP), the verified client certificate's subject (HTTPS), or the peer's kernel
 * credentials (unix socket).
 *
 * <p>Peer credentials: Netty serves the unix socket on a JDK {@code SocketChannel} (NIO transport), and
 * the JDK reads {@code getsockopt(SO_PEERCRED)} for it as {@link ExtendedSocketOptions#SO_PEERCRED}
 * (Linux, Java 16+); Netty passes JDK socket options through {@link NioChannelOption}. No native code of
 * our own and no other transport is needed. On any other channel type the peer is unknown, which the
 * policy treats as not allowed.
 *
 * @param remoteAddress "ip:port" for TCP, null for the unix socket
 * @param remoteHost    the ip alone (the rate-limit key of an anonymous caller), null for the unix socket
 * @param peer          the unix peer's user and group, null when unknown or not a unix socket
 * @param subject       the client certificate's subject (RFC 2253), null without one
 */
public record Connection(Listener listener, String remoteAddress, String remoteHost, UnixDomainPrincipal peer,
                         String subject) {

    public enum Listener { TCP, HTTPS, UNIX }

    private static final ChannelOption<UnixDomainPrincipal> PEER_CREDENTIALS = NioChannelOption.of(ExtendedSocketOptions.SO_PEERCRED);

    public static Connection of(Channel channel) {
        SocketAddress remote = channel.remoteAddress();
        if (!(remote instanceof InetSocketAddress inet)) {
            return new Connection(Listener.UNIX, null, null, peerCredentials(channel), null);
        }
        String host = inet.getAddress() == null ? inet.getHostString() : inet.getAddress().getHostAddress();
        String address = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + inet.getPort();
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return new Connection(Listener.TCP, address, host, null, null);
        }
        return new Connection(Listener.HTTPS, address, host, null, subject(ssl));
    }

    /** "user/group" of a unix peer, as the user database names them (the number when it has no name). */
    public String peerName() {
        return peer == null ? null : peer.user().getName() + "/" + peer.group().getName();
    }

    private static UnixDomainPrincipal peerCredentials(Channel channel) {
        try {
            return channel.config().getOption(PEER_CREDENTIALS);
        } catch (ChannelException | UnsupportedOperationException e) {
            return null;
        }
    }

    private static String subject(SslHandler ssl) {
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate certificate) {
                return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate (client-auth optional or off)
        }
        return null;
    }
}
