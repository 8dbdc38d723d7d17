// check-log.ts and the table keeper's change lines: the keepalived-shaped log lines log watchers match.
import { describe, expect, it } from 'vitest';
import { checkedEndpoint, healthChangeLine } from '../../src/lvs/check-log.js';
import { describeChange } from '../../src/lvs/table-keeper.js';

describe('keepalived-like log lines', () => {
  it('writes TCP_CHECK and other checker outcomes as keepalived does', () => {
    expect(healthChangeLine('TCP_CHECK', checkedEndpoint('10.0.0.2', 80), true, 'connected')).toBe('TCP connection to [10.0.0.2]:tcp:80 success.');
    expect(healthChangeLine('HTTP_GET', checkedEndpoint('10.0.0.2', 80), false, 'status 500')).toBe('HTTP_CHECK on service [10.0.0.2]:tcp:80 failed (status 500).');
  });

  it('names real and virtual servers as [address]:protocol:port, fwmark services as FWM N', () => {
    const service = { family: 'inet', protocol: 'tcp', address: '10.0.0.100', port: 80 } as const;
    const destination = { family: 'inet', address: '10.0.0.2', port: 80, weight: 0, forwarding: 'masq', upperThreshold: 0, lowerThreshold: 0, tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0 } as const;
    expect(describeChange({ kind: 'deleteDestination', service, destination })).toBe('Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.100]:tcp:80');
    expect(describeChange({ kind: 'editDestination', service: { family: 'inet', fwmark: 5 }, destination })).toBe('Setting weight 0 for service [10.0.0.2]:tcp:80 in VS FWM 5');
  });
});
