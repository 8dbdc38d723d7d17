// Gratuitous ARP (IPv4) and unsolicited Neighbour Advertisement (IPv6) bursts for an instance's
// VIPs, sent as whole Ethernet frames on one shared AF_PACKET socket. Frames are built once per
// instance, with their socket addresses (they never change while the interface keeps its MAC).
import type { Socket } from '../../sys/socket.js';
import { buildGratuitousArp } from '../arp.js';
import { buildUnsolicitedNa } from '../ndisc.js';
import { frameSockaddr } from '../raw-sockets.js';
import type { AddressFamily } from '../types.js';

export interface GratuitousOptions {
  readonly socket: Socket;
  readonly ifindex: number;
  readonly family: AddressFamily;
  readonly senderMac: Uint8Array;
  /** IPv6: the interface's link-local address (the NA's source). */
  readonly linkLocal?: string;
  readonly addresses: readonly string[];
}

export class GratuitousSender {
  sent = 0;
  failures = 0;
  /** Each frame with the address it is sent to. */
  readonly #frames: readonly { readonly frame: Buffer; readonly sockaddr: Buffer }[];

  constructor(private readonly options: GratuitousOptions) {
    const { family, senderMac, linkLocal, addresses, ifindex } = options;
    const frames = family === 'ipv4'
      ? addresses.map((address) => buildGratuitousArp({ senderMac, address }))
      : linkLocal === undefined ? [] : addresses.map((targetAddress) => buildUnsolicitedNa({ senderMac, sourceAddress: linkLocal, targetAddress }));
    this.#frames = frames.map((frame) => ({ frame, sockaddr: frameSockaddr(ifindex, frame) }));
  }

  /** `count` messages per VIP. */
  send(count: number): void {
    for (let round = 0; round < count; round++) {
      for (const { frame, sockaddr } of this.#frames) {
        let ok = false;
        try {
          ok = this.options.socket.send(frame, sockaddr);
        } catch {
          ok = false;
        }
        if (ok) this.sent++;
        else this.failures++;
      }
    }
  }
}
