// Errors from the kernel over netlink. They satisfy sys' SystemError (errno, code, syscall), name the
// operation that failed, and carry the kernel's extended-ACK text when it sent one.
import { getSystemErrorName } from 'node:util';
import type { SystemError } from '../sys/errors.js';
import type { DecodeFailure } from './decode.js';

/** 'EEXIST' for 17; 'E<n>' for a number Node does not know. */
export function errnoCode(errno: number): string {
  if (!Number.isInteger(errno) || errno === 0) return `E${errno}`;
  const name = getSystemErrorName(-Math.abs(errno));
  return /^E[A-Z0-9]+$/.test(name) ? name : `E${Math.abs(errno)}`;
}

export interface NetlinkErrorDetails {
  /** What we asked for, e.g. 'RTM_NEWADDR 10.0.0.1/24 dev eth0'. */
  readonly operation: string;
  /** NLMSGERR_ATTR_MSG. */
  readonly extendedMessage?: string;
  /** NLMSGERR_ATTR_OFFS: offset of the offending attribute in the request. */
  readonly extendedOffset?: number;
}

export class NetlinkError extends Error implements SystemError {
  readonly errno: number;
  readonly code: string;
  readonly syscall = 'netlink';
  readonly operation: string;
  readonly extendedMessage: string | undefined;
  readonly extendedOffset: number | undefined;

  constructor(errno: number, details: NetlinkErrorDetails, code = errnoCode(errno)) {
    const reason = details.extendedMessage ? `: ${details.extendedMessage}` : '';
    super(`${details.operation}: ${code}${reason}`);
    this.name = 'NetlinkError';
    this.errno = errno;
    this.code = code;
    this.operation = details.operation;
    this.extendedMessage = details.extendedMessage;
    this.extendedOffset = details.extendedOffset;
  }
}

/** The kernel did not answer in time. */
export class NetlinkTimeoutError extends NetlinkError {
  readonly timeoutMs: number;
  constructor(operation: string, timeoutMs: number) {
    super(110, { operation: `${operation} (no answer in ${timeoutMs} ms)` }, 'ETIMEDOUT');
    this.name = 'NetlinkTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** A reply we could not decode; `failure` says where and why. errno is EPROTO (71). */
export class NetlinkProtocolError extends NetlinkError {
  readonly failure: DecodeFailure;
  constructor(operation: string, failure: DecodeFailure) {
    super(71, { operation: `${operation}: malformed reply (${failure.code} ${failure.message})` }, 'EPROTO');
    this.name = 'NetlinkProtocolError';
    this.failure = failure;
  }
}
