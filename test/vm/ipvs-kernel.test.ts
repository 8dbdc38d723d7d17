// Proves the vm tier really runs on an IPVS kernel: ipvsadm programs the table and the generic
// netlink family "IPVS" is registered. Everything else in test/vm builds on this.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { IpvsClient } from '../../src/ipvs/client.js';

const ipvsadm = (...args: string[]) => execFileSync('ipvsadm', args, { encoding: 'utf8' });

describe('the vm tier guest', () => {
  afterAll(() => {
    ipvsadm('-C');
  });

  it('programs a real IPVS table with ipvsadm', () => {
    ipvsadm('-C');
    ipvsadm('-A', '-t', '10.0.0.1:80', '-s', 'rr');
    ipvsadm('-a', '-t', '10.0.0.1:80', '-r', '10.0.0.2:80', '-m', '-w', '3');
    expect(ipvsadm('-Ln')).toMatch(/TCP {2}10\.0\.0\.1:80 rr\n {2}-> 10\.0\.0\.2:80 +Masq +3 +0 +0/);
  });

  it('registers the generic netlink family IPVS, which our client resolves', async () => {
    const info = execFileSync('genl', ['ctrl', 'get', 'name', 'IPVS'], { encoding: 'utf8' });
    expect(info).toMatch(/Name: IPVS\s+ID: 0x[0-9a-f]+\s+Version: 0x1/);
    const client = await IpvsClient.open();
    try {
      expect(await client.info()).toEqual({ version: '1.2.1', connectionTableSize: 4096 });
    } finally {
      client.close();
    }
  });
});
