// Requests between the daemon's children through the supervisor: routing by role, an immediate
// empty answer for a role that is not running, and the asking side's timeout.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { RelayClient, routeRelayMessage, type RelayReply, type RelayRequest } from '../../src/daemon/child-relay.js';

/** Two children's IPC ends joined by a supervisor running routeRelayMessage; `running` says which roles exist. */
function wire(running: Set<string>) {
  const ends = new Map<string, EventEmitter & { connected: boolean; send: (m: unknown) => boolean }>();
  const deliver = (role: string, message: RelayRequest | RelayReply): boolean => {
    const end = ends.get(role);
    if (!running.has(role) || end === undefined) return false;
    setImmediate(() => end.emit('message', message));
    return true;
  };
  for (const role of ['vrrp', 'check']) {
    const end = Object.assign(new EventEmitter(), {
      connected: true,
      send: (message: unknown) => routeRelayMessage(role, message, deliver),
    });
    ends.set(role, end);
  }
  const client = (role: string) => new RelayClient(ends.get(role) as unknown as ConstructorParameters<typeof RelayClient>[0]);
  return { client };
}

describe('child relay', () => {
  it('passes a request to the named role and its answer back', async () => {
    const { client } = wire(new Set(['vrrp', 'check']));
    client('check').serve(async (body) => ({ echoed: body }));
    expect(await client('vrrp').request('check', 'checker-snapshot', 1000)).toEqual({ echoed: 'checker-snapshot' });
  });

  it('answers at once with nothing when the role is not running', async () => {
    const { client } = wire(new Set(['vrrp']));
    const started = performance.now();
    expect(await client('vrrp').request('check', 'checker-snapshot', 5000)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up after the timeout when the role does not answer', async () => {
    const { client } = wire(new Set(['vrrp', 'check']));
    client('check').serve(() => new Promise(() => undefined));
    const started = performance.now();
    expect(await client('vrrp').request('check', 'x', 100)).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('leaves other messages to others', () => {
    expect(routeRelayMessage('vrrp', { kind: 'something-else' }, () => true)).toBe(false);
    expect(routeRelayMessage('vrrp', 'text', () => true)).toBe(false);
  });
});
