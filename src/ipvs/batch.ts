// Sends many generic netlink requests packed into few datagrams, for bulk changes (10,000
// destinations). The kernel runs every message of a datagram in order inside sendmsg and answers
// only failures, plus one ACK for the last message that asks for it; so a whole batch costs one
// sendmsg and a few recvmsg calls instead of one round trip per request, and the answers are
// already queued when sendmsg returns (read without waiting on the event loop).
import { SOCK_RAW, AF_NETLINK, SOL_NETLINK, SOL_SOCKET, SO_RCVBUF, SO_RCVBUFFORCE } from '../sys/constants.js';
import { sockaddrNl } from '../sys/sockaddr.js';
import { Socket } from '../sys/socket.js';
import { NLMSG_ERROR, NLM_F, decodeAcknowledgement, decodeMessages, encodeMessage } from '../netlink/message.js';
import { encodeGenlPayload, type GenlFamily } from '../netlink/genl.js';
import { NETLINK_EXT_ACK, NETLINK_GENERIC, NETLINK_CAP_ACK } from '../netlink/socket.js';

export interface BatchRequest {
  readonly cmd: number;
  readonly attributes: Uint8Array;
}

export interface BatchFailure {
  /** Index of the first request the kernel refused. */
  readonly index: number;
  readonly errno: number;
  readonly extendedMessage?: string;
}

/** Requests per datagram: ~150 bytes each keeps a datagram well under the socket's send buffer. */
const PER_DATAGRAM = 64;
const RECEIVE_LENGTH = 64 * 1024;

function openSocket(): Socket {
  const socket = Socket.open(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
  try {
    socket.bind(sockaddrNl(0, 0));
    try {
      socket.setOption(SOL_SOCKET, SO_RCVBUFFORCE, 1024 * 1024);
    } catch {
      socket.setOption(SOL_SOCKET, SO_RCVBUF, 1024 * 1024);
    }
    socket.setOption(SOL_NETLINK, NETLINK_CAP_ACK, 1);
    socket.setOption(SOL_NETLINK, NETLINK_EXT_ACK, 1);
  } catch (error) {
    socket.close();
    throw error;
  }
  return socket;
}

/** Reads every answer already queued; returns the lowest-numbered failure among them (by seq). */
function drainAnswers(socket: Socket, firstSeq: number, count: number): { failure: BatchFailure | null; acknowledged: boolean } {
  let failure: BatchFailure | null = null;
  let acknowledged = false;
  for (let received = socket.receive({ maxLength: RECEIVE_LENGTH }); received; received = socket.receive({ maxLength: RECEIVE_LENGTH })) {
    for (const message of decodeMessages(received.data).messages) {
      const offset = (message.seq - firstSeq) >>> 0;
      if (message.type !== NLMSG_ERROR || offset >= count) continue;
      const ack = decodeAcknowledgement(message);
      const errno = ack.ok ? ack.value.errno : 71; // EPROTO for an answer we cannot read
      if (errno === 0) {
        acknowledged = true;
      } else if (failure === null || offset < failure.index) {
        const extendedMessage = ack.ok ? ack.value.extendedMessage : undefined;
        failure = { index: offset, errno, ...(extendedMessage ? { extendedMessage } : {}) };
      }
    }
  }
  return { failure, acknowledged };
}

/**
 * Sends the requests in order, PER_DATAGRAM per sendmsg, yielding to the event loop between
 * datagrams; stops after the first datagram with a refusal. Returns that refusal or null.
 */
export async function sendBatched(family: GenlFamily, requests: readonly BatchRequest[]): Promise<BatchFailure | null> {
  const socket = openSocket();
  try {
    for (let start = 0; start < requests.length; start += PER_DATAGRAM) {
      const chunk = requests.slice(start, start + PER_DATAGRAM);
      const datagram = Buffer.concat(chunk.map((request, i) => encodeMessage({
        type: family.id,
        // Only the last message asks for an ACK: the kernel answers the others only if they fail.
        flags: NLM_F.REQUEST | (i === chunk.length - 1 ? NLM_F.ACK : 0),
        seq: start + i + 1,
        payload: encodeGenlPayload(request.cmd, family.version, request.attributes),
      })));
      socket.send(datagram, sockaddrNl(0, 0));
      const { failure, acknowledged } = drainAnswers(socket, start + 1, chunk.length);
      if (failure) return { ...failure, index: start + failure.index };
      if (!acknowledged) return { index: start + chunk.length - 1, errno: 5 }; // EIO: the kernel did not answer
      await new Promise((resolve) => setImmediate(resolve));
    }
    return null;
  } finally {
    socket.close();
  }
}
