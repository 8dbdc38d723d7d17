import { describe, expect, it } from 'vitest';
import { errnoCode, NetlinkError, NetlinkProtocolError, NetlinkTimeoutError } from '../../src/netlink/errors.js';
import { GenlFamilyNotFoundError } from '../../src/netlink/genl.js';
import { hasErrorCode, isSystemError } from '../../src/sys/errors.js';

describe('netlink errors', () => {
  it('name errno values as the C library does, and never invent a name', () => {
    expect(errnoCode(17)).toBe('EEXIST');
    expect(errnoCode(19)).toBe('ENODEV');
    expect(errnoCode(105)).toBe('ENOBUFS');
    expect(errnoCode(9999)).toBe('E9999');
    expect(errnoCode(0)).toBe('E0');
  });

  it('are SystemErrors carrying errno, code, operation and the extended-ACK text', () => {
    const error = new NetlinkError(17, { operation: 'RTM_NEWADDR 10.0.0.1/24 dev 3', extendedMessage: 'already assigned', extendedOffset: 24 });
    expect(isSystemError(error)).toBe(true);
    expect(hasErrorCode(error, 'EEXIST')).toBe(true);
    expect(error).toMatchObject({ errno: 17, code: 'EEXIST', syscall: 'netlink', extendedOffset: 24 });
    expect(error.message).toBe('RTM_NEWADDR 10.0.0.1/24 dev 3: EEXIST: already assigned');
  });

  it('timeouts, protocol errors and missing genl families are NetlinkErrors with their own codes', () => {
    expect(new NetlinkTimeoutError('X', 100)).toMatchObject({ code: 'ETIMEDOUT', errno: 110, timeoutMs: 100 });
    expect(new NetlinkProtocolError('X', { code: 'TRUNCATED', message: 'short' })).toMatchObject({ code: 'EPROTO', failure: { code: 'TRUNCATED' } });
    const missing = new GenlFamilyNotFoundError('IPVS', new NetlinkError(2, { operation: 'CTRL_CMD_GETFAMILY IPVS' }));
    expect(missing).toBeInstanceOf(NetlinkError);
    expect(missing).toMatchObject({ family: 'IPVS', code: 'ENOENT', errno: 2, name: 'GenlFamilyNotFoundError' });
  });
});
