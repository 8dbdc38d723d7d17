// The record of owned IPVS entries across runs: it round-trips, a broken file owns nothing, the
// file follows every change and goes away when nothing is owned.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOwned, encodeOwned, ownedFile, ownedFilePath } from '../../src/daemon/ipvs-owned-file.js';
import type { Destination, ServiceKey } from '../../src/ipvs/types.js';
import { NOTHING_OWNED, type Owned } from '../../src/lvs/reconcile.js';

const key: ServiceKey = { family: 'inet', protocol: 'tcp', address: '10.0.0.100', port: 80 };
const destination: Destination = { family: 'inet', address: '10.0.0.1', port: 80, forwarding: 'masq', weight: 1, upperThreshold: 0, lowerThreshold: 0, tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0 };
const owned: Owned = { services: new Map([['inet|tcp|10.0.0.100|80', key]]), destinations: new Map([['inet|tcp|10.0.0.100|80', new Map([['10.0.0.1|80', destination]])]]) };

const dir = mkdtempSync(join(tmpdir(), 'kdo-owned-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('owned IPVS entries file', () => {
  it('sits beside the checker pid file', () => {
    expect(ownedFilePath('/run/keepalived/checkers.pid')).toBe('/run/keepalived/checkers.ipvs-owned.json');
  });

  it('round-trips, and a broken file owns nothing', () => {
    expect(decodeOwned(encodeOwned(owned))).toEqual(owned);
    expect(decodeOwned('{not json')).toBe(NOTHING_OWNED);
    expect(decodeOwned('{"services": 3}')).toBe(NOTHING_OWNED);
  });

  it('follows every change and disappears when nothing is owned', () => {
    const path = join(dir, 'checkers.ipvs-owned.json');
    const errors: string[] = [];
    const first = ownedFile(path, (m) => errors.push(m));
    expect(first.initial).toBe(NOTHING_OWNED);
    first.save(owned);
    expect(decodeOwned(readFileSync(path, 'utf8'))).toEqual(owned);
    expect(ownedFile(path, (m) => errors.push(m)).initial).toEqual(owned);
    first.save(NOTHING_OWNED);
    expect(existsSync(path)).toBe(false);
    writeFileSync(path, 'garbage');
    expect(ownedFile(path, (m) => errors.push(m)).initial).toBe(NOTHING_OWNED);
    expect(errors).toEqual([]);
  });
});
