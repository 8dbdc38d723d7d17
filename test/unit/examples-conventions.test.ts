// conf.examples files follow the conventions promised to newcomers: documentation or private
// addresses only, eth0/eth1 interfaces, comments on every file, and @id lines that give each
// director of a pair exactly one priority, the preferred one the higher.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'conf.examples');
const confs = readdirSync(EXAMPLES).filter((name) => name.endsWith('.conf')).sort();
const read = (name: string) => readFileSync(join(EXAMPLES, name), 'utf8');

/** The file as the director with config id `id` sees it (keepalived's @ID / @^ID lines). */
function forDirector(text: string, id: string): string[] {
  return text.split('\n').flatMap((line) => {
    const conditional = /^(\s*)@(\^?)(\w+)\s+(.*)$/.exec(line);
    if (!conditional) return [line];
    const matches = conditional[3] === id;
    return matches !== (conditional[2] === '^') ? [`${conditional[1]}${conditional[4]}`] : [];
  });
}

const PUBLIC_OK = [/^192\.0\.2\./, /^10\./, /^127\./, /^224\.0\.0\.18$/, /^255\./];

describe('conf.examples', () => {
  it('has every promised topology, the unit file and a README listing them all', () => {
    const expected = ['dual-master', 'fwmark-persistence', 'ipv6-vrrpv3', 'lvs-dr-http', 'lvs-nat', 'master-backup', 'sorry-server', 'sync-group', 'track-script', 'unicast'];
    expect(confs).toEqual(expected.map((n) => `${n}.conf`));
    const readme = read('README.md');
    for (const name of [...confs, 'keepalived-ts.service']) expect(readme).toContain(`\`${name}\``);
  });

  it.each(confs)('%s uses only documentation/private addresses and eth interfaces, with comments', (name) => {
    const text = read(name);
    const code = text.split('\n').filter((line) => !line.trim().startsWith('#')).join('\n');
    for (const [address] of code.matchAll(/\b\d+\.\d+\.\d+\.\d+\b/g)) expect(PUBLIC_OK.some((ok) => ok.test(address)), address).toBe(true);
    for (const [address] of code.matchAll(/\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b/gi)) expect(address.toLowerCase().startsWith('fd'), address).toBe(true);
    for (const [, dev] of code.matchAll(/\b(?:interface|dev)\s+(\S+)/g)) expect(dev).toMatch(/^eth[01]$/);
    expect(text.split('\n').filter((line) => line.trim().startsWith('#')).length).toBeGreaterThan(5);
  });

  it.each(confs.filter((name) => /@\w/.test(read(name))))('%s gives each director one priority per instance, preferred one higher', (name) => {
    const text = read(name);
    const ids = [...new Set([...text.matchAll(/^\s*@(\w+)\s/gm)].map((m) => m[1] as string))].sort();
    expect(ids).toHaveLength(2);
    const priorities = ids.map((id) => {
      const seen = forDirector(text, id).join('\n');
      const instances = [...seen.matchAll(/vrrp_instance (\w+) \{([\s\S]*?)\n\}/g)];
      expect(instances.length).toBeGreaterThan(0);
      return instances.map(([, , body]) => {
        const found = [...(body as string).matchAll(/^\s*priority (\d+)/gm)];
        expect(found).toHaveLength(1);
        return Number(found[0]?.[1]);
      });
    });
    const [first, second] = priorities as [number[], number[]];
    // Dual master: each director wins one instance; otherwise the first id wins them all.
    if (name === 'dual-master.conf') expect(first.map((p, i) => p > (second[i] as number))).toEqual([true, false]);
    else first.forEach((p, i) => expect(p).toBeGreaterThan(second[i] as number));
  });
});
