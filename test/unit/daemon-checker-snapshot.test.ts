// The checker's snapshot for /status and /metrics: real servers matched to their IPVS
// destinations, counters converted from the kernel's 64-bit values, a real server out of the
// table without counters, an unreadable table reported without losing the health part.
import { describe, expect, it } from 'vitest';
import { checkerSnapshot, VS_NAME } from '../support/checker-snapshot-fixtures.js';

describe('checker snapshot', () => {
  it('gives each virtual server its services and each real server its destination counters', () => {
    const snapshot = checkerSnapshot();
    const vs = snapshot.virtualServers[0]!;
    expect(vs.name).toBe(VS_NAME);
    expect(vs.quorumUp).toBe(true);
    expect(vs.services).toEqual([{ service: 'TCP 10.0.0.100:80', counters: expect.objectContaining({ connections: 12, inBytes: 12_000, outBytes: 48_000, connectionsPerSecond: 2 }) }]);
    const [up, down] = vs.realServers;
    expect(up).toMatchObject({ address: '10.0.0.1', up: true, checks: 40, failures: 0, lastCheck: { at: '2026-01-01T12:03:14.000Z', kind: 'HTTP_GET', ok: true, latencyMs: 3.2 } });
    expect(up!.ipvs).toMatchObject({ connections: 12, activeConnections: 1, inactiveConnections: 11, inPackets: 120 });
    expect(down).toMatchObject({ address: '10.0.0.2', up: false, failures: 3, reason: 'connection refused', ipvs: null });
    expect(snapshot.ipvsError).toBeNull();
  });

  it('keeps the health part when the table cannot be read', () => {
    const snapshot = checkerSnapshot({ error: 'Generic Netlink family IPVS not found' });
    expect(snapshot.ipvsError).toBe('Generic Netlink family IPVS not found');
    expect(snapshot.virtualServers[0]!.services).toEqual([]);
    expect(snapshot.virtualServers[0]!.realServers.map((r) => r.up)).toEqual([true, false]);
  });

  it('is plain JSON (it crosses the IPC channel)', () => {
    const snapshot = checkerSnapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
  });
});
