// The sockets of network checkers. Node's net and dgram do everything but the checker's fwmark:
// SO_MARK must be set before the socket connects, so with a fwmark our addon (src/sys) makes the
// socket, marks it (and binds a datagram one) and Node takes it over by its descriptor.
import dgram from 'node:dgram';
import net from 'node:net';
import { AF_INET, AF_INET6, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, Socket, interfaceIndex, sockaddrIn, sockaddrIn6 } from '../sys/index.js';
import type { Endpoint } from './connect-options.js';

/** linux/asm-generic/socket.h; setting it needs CAP_NET_ADMIN. */
export const SO_MARK = 36;

const isIpv6 = (endpoint: Endpoint): boolean => net.isIPv6(endpoint.host.split('%')[0]!);

function localSockaddr(endpoint: Endpoint): Uint8Array {
  const [address, zone] = (endpoint.localAddress ?? (isIpv6(endpoint) ? '::' : '0.0.0.0')).split('%');
  const port = endpoint.localPort ?? 0;
  if (!isIpv6(endpoint)) return sockaddrIn(address!, port);
  return sockaddrIn6(address!, port, zone === undefined ? 0 : (interfaceIndex(zone) ?? 0));
}

/** A new socket with SO_MARK set (bound to the endpoint's source when asked); throws with errno. */
function markedDescriptor(endpoint: Endpoint, type: number, bind: boolean): number {
  const socket = Socket.open(isIpv6(endpoint) ? AF_INET6 : AF_INET, type, 0);
  try {
    socket.setOption(SOL_SOCKET, SO_MARK, endpoint.fwmark ?? 0);
    if (bind) socket.bind(localSockaddr(endpoint));
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket.fd;
}

/** A TCP connection under way to the endpoint (net.connect, marked when the checker has a fwmark). */
export function connectStream(endpoint: Endpoint): net.Socket {
  if (endpoint.fwmark === undefined) return net.connect(endpoint);
  return new net.Socket({ fd: markedDescriptor(endpoint, SOCK_STREAM, false), readable: true, writable: true }).connect(endpoint);
}

/** A UDP socket bound to the endpoint's source; `onBound` gets it once it is (maybe before this returns). */
export function bindDatagram(endpoint: Endpoint, onBound: (socket: dgram.Socket) => void): dgram.Socket {
  const socket = dgram.createSocket(isIpv6(endpoint) ? 'udp6' : 'udp4');
  if (endpoint.fwmark !== undefined) {
    try {
      socket.bind({ fd: markedDescriptor(endpoint, SOCK_DGRAM, true) }, () => onBound(socket));
    } catch (error) {
      socket.close();
      throw error;
    }
    return socket;
  }
  socket.bind({ port: endpoint.localPort ?? 0, ...(endpoint.localAddress !== undefined ? { address: endpoint.localAddress } : {}) }, () => onBound(socket));
  return socket;
}
