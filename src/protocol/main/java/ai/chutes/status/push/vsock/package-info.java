/**
 * AF_VSOCK sockets on top of junixsocket-common, without junixsocket's vsock module and without native
 * code of our own. {@link ai.chutes.status.push.vsock.VsockSockets} is the entry point.
 *
 * <p>What is deliberately left out:
 * <ul>
 *   <li>junixsocket's address-family registration (AFAddressFamily.registerAddressFamilyImpl): junixsocket
 *       consults it only for its generic factories (AFSocket.connectTo, AFAddressFamily.newSocket,
 *       FileDescriptorCast), which this package does not use, and it would demand socket, channel and
 *       datagram classes for every slot.</li>
 *   <li>Channels and selectors: getChannel() returns null, which java.net allows for sockets not opened
 *       through a channel; blocking streams do not need one.</li>
 * </ul>
 */
package ai.chutes.status.push.vsock;
