// Round trips through the real kernel for every table of the matrix (every scheduler, forwarding
// method, fwmark, IPv6, persistence, thresholds): what our client writes, ipvsadm reads back
// exactly; what ipvsadm writes, our client dumps exactly; our `ipvs list -n` / `ipvs save -n`
// are byte-identical to `ipvsadm -Ln` / `ipvsadm -Sn`; our restore of an `ipvsadm -Sn` file
// rebuilds the same table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IpvsClient } from '../../src/ipvs/client.js';
import { applyRules } from '../../src/ipvs/restore.js';
import { parseRules, type Rule } from '../../src/ipvs/text/rules.js';
import { MATRIX, restoreText, savedText } from './ipvs-tables.js';
import { configuredTable, IpvsadmShell, runIpvsCommand } from './ipvs-helpers.js';

let client: IpvsClient;
const shell = new IpvsadmShell();
const ipvsadm = (args: readonly string[], input?: string) => shell.ok(args, input);

beforeAll(async () => {
  client = await IpvsClient.open();
});

afterAll(async () => {
  await client.flush();
  client.close();
  shell.close();
});

function rulesOf(text: string): { line: number; rule: Rule }[] {
  const parsed = parseRules(text);
  expect(parsed.errors).toEqual([]);
  return [...parsed.rules];
}

/** ipvsadm's save format has no thresholds: a table restored from it has them at 0. */
function withoutThresholds(model: unknown[]): unknown {
  return JSON.parse(JSON.stringify(model).replace(/"(upper|lower)Threshold":\d+/g, '"$1Threshold":0'));
}

describe('IPVS round trips on a real kernel', () => {
  it('has at least 50 tables in the matrix', () => {
    expect(MATRIX.length).toBeGreaterThanOrEqual(50);
  });

  for (const table of MATRIX) {
    it(`${table.name}: our client writes, ipvsadm reads; ipvsadm writes, we read; list/save/restore match`, async () => {
      const text = table.lines.map((line) => `${line}\n`).join('');

      // 1. Our client writes the table; ipvsadm must read back exactly what we meant.
      await client.flush();
      await applyRules(client, rulesOf(text));
      expect(await ipvsadm(['-Sn'])).toBe(savedText(table));
      const ours = configuredTable(await client.table());
      const listedByIpvsadm = await ipvsadm(['-Ln']);
      expect((await runIpvsCommand(['list', '-n'])).stdout).toBe(listedByIpvsadm);
      expect((await runIpvsCommand(['save', '-n'])).stdout).toBe(savedText(table));
      expect((await runIpvsCommand(['list', '-n', '--thresholds'])).stdout).toBe(await ipvsadm(['-Ln', '--thresholds']));

      // 2. ipvsadm writes the same table; our dump must hold exactly the same settings.
      await client.flush();
      await ipvsadm(['-R'], restoreText(table));
      const writtenByIpvsadm = configuredTable(await client.table());
      expect(writtenByIpvsadm).toEqual(ours);
      expect((await runIpvsCommand(['list', '-n'])).stdout).toBe(listedByIpvsadm);
      const savedByIpvsadm = await ipvsadm(['-Sn']);
      expect((await runIpvsCommand(['save', '-n'])).stdout).toBe(savedByIpvsadm);

      // 3. Our restore of ipvsadm's save file rebuilds the same table (thresholds aside: -S drops them).
      await client.flush();
      await applyRules(client, rulesOf(savedByIpvsadm));
      expect(await ipvsadm(['-Sn'])).toBe(savedByIpvsadm);
      expect(withoutThresholds(configuredTable(await client.table()))).toEqual(withoutThresholds(writtenByIpvsadm));
    });
  }

  it('prints every counter view and the timeouts as ipvsadm does', async () => {
    await client.flush();
    const text = MATRIX.filter((table) => /mixed|IPv6 TCP|thresholds$|persistence engine sip/.test(table.name))
      .map((table) => table.lines.join('\n')).join('\n');
    await applyRules(client, rulesOf(text));
    for (const view of [['--stats'], ['--rate'], ['--stats', '--exact'], ['--rate', '--exact'], ['--persistent-conn'], ['--timeout']]) {
      expect((await runIpvsCommand(['list', '-n', ...view])).stdout, view.join(' ')).toBe(await ipvsadm(['-Ln', ...view]));
    }
    // Connection entries count their expiry down each second (earlier tests in this guest leave
    // some): two reads can straddle a tick, so the listings must agree in one of a few tries.
    let ours = '';
    let theirs = '';
    for (let attempt = 0; attempt < 3 && (attempt === 0 || ours !== theirs); attempt++) {
      theirs = await ipvsadm(['-Ln', '--connection']);
      ours = (await runIpvsCommand(['list', '-n', '--connection'])).stdout;
    }
    expect(ours, '--connection').toBe(theirs);
  });

  it('names ports from /etc/services without -n, as ipvsadm -L and -S do', async () => {
    await client.flush();
    await applyRules(client, rulesOf('-A -t 10.20.0.1:80 -s rr\n-a -t 10.20.0.1:80 -r 10.20.0.2:8080 -m -w 1\n-A -u 10.20.0.1:53 -s rr\n-A -t 10.20.0.1:26 -s rr\n'));
    expect((await runIpvsCommand(['list'])).stdout).toBe(await ipvsadm(['-L']));
    expect((await runIpvsCommand(['save'])).stdout).toBe(await ipvsadm(['-S']));
  });
});
