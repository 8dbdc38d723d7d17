// Errors from IPVS requests: the kernel's errno, named after what was asked, with a sentence an
// operator understands ("scheduler 'foo' not loaded") instead of a bare ENOENT.
import { getSystemErrorName } from 'node:util';
import { IPVS_CMD } from './constants.js';

export type IpvsOperation = keyof typeof IPVS_CMD;

export interface IpvsErrorContext {
  /** The service in ipvsadm's notation, e.g. 'TCP 10.0.0.1:80'. */
  readonly service?: string;
  readonly destination?: string;
  readonly scheduler?: string;
  readonly persistenceEngine?: string | null;
  /** The kernel's extended-ACK message, when it sent one. */
  readonly kernelMessage?: string;
}

export class IpvsError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall = 'netlink';
  readonly operation: IpvsOperation | 'RESOLVE_FAMILY';

  constructor(operation: IpvsOperation | 'RESOLVE_FAMILY', errno: number, context: IpvsErrorContext = {}) {
    const code = errnoName(errno);
    const kernel = context.kernelMessage ? ` (kernel: ${context.kernelMessage})` : '';
    super(`${explain(operation, code, context)}${kernel} [${operation} ${code}]`);
    this.name = 'IpvsError';
    this.errno = errno;
    this.code = code;
    this.operation = operation;
  }
}

function errnoName(errno: number): string {
  try {
    return getSystemErrorName(-Math.abs(errno));
  } catch {
    return `E${errno}`;
  }
}

function explain(operation: IpvsOperation | 'RESOLVE_FAMILY', code: string, context: IpvsErrorContext): string {
  const service = context.service ? `service ${context.service}` : 'service';
  const destination = context.destination ? `destination ${context.destination}` : 'destination';
  if (code === 'EPERM') return 'permission denied: managing IPVS needs CAP_NET_ADMIN';
  switch (operation) {
    case 'RESOLVE_FAMILY':
      return 'IPVS is not available in this kernel (generic netlink family "IPVS" not found; is ip_vs loaded?)';
    case 'NEW_SERVICE':
    case 'SET_SERVICE':
      if (code === 'EEXIST') return `${service} already exists`;
      if (code === 'ENOENT') {
        return context.persistenceEngine
          ? `scheduler '${context.scheduler}' or persistence engine '${context.persistenceEngine}' not loaded`
          : `scheduler '${context.scheduler}' not loaded`;
      }
      if (code === 'ESRCH') return `${service} does not exist`;
      if (code === 'EINVAL') return `invalid ${service} (the kernel rejected its parameters)`;
      break;
    case 'DEL_SERVICE':
    case 'GET_SERVICE':
    case 'ZERO':
      if (code === 'ESRCH') return `${service} does not exist`;
      break;
    case 'NEW_DEST':
      if (code === 'ESRCH') return `${service} does not exist, so ${destination} cannot be added to it`;
      if (code === 'EEXIST') return `${destination} already exists in ${service}`;
      if (code === 'EINVAL') return `invalid ${destination} for ${service}`;
      if (code === 'ERANGE') return `${destination}: weight or thresholds out of range`;
      break;
    case 'SET_DEST':
    case 'DEL_DEST':
      if (code === 'ESRCH') return `${service} does not exist`;
      if (code === 'ENOENT') return `${destination} does not exist in ${service}`;
      if (code === 'ERANGE') return `${destination}: weight or thresholds out of range`;
      break;
    case 'NEW_DAEMON':
      if (code === 'EEXIST') return 'that sync daemon is already running';
      break;
    case 'DEL_DAEMON':
      if (code === 'ESRCH') return 'no such sync daemon is running';
      break;
    default:
      break;
  }
  return `IPVS ${operation.toLowerCase().replace('_', ' ')} failed: ${code}`;
}

/** A reply from the kernel that did not decode. */
export class IpvsProtocolError extends Error {
  readonly code = 'EPROTO';
  constructor(operation: IpvsOperation, reason: string) {
    super(`malformed ${operation} reply from the kernel: ${reason}`);
    this.name = 'IpvsProtocolError';
  }
}
