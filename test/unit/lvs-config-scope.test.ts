// The checker process runs a config whose only errors sit in VRRP sections, as keepalived's -C
// does; errors in its own sections (and lexical ones) still stop it.
import { describe, expect, it } from 'vitest';
import { loadTree } from '../../src/config/load.js';
import { parseConfigText } from '../../src/config/parse.js';
import { checkerBlockingErrors } from '../../src/lvs/config-scope.js';

function blockingCodes(text: string): string[] {
  const parsed = parseConfigText(text, '/etc/keepalived/keepalived.conf', { configId: 'x' });
  const { diagnostics } = loadTree(parsed.tree, null);
  return checkerBlockingErrors(parsed.tree, [...parsed.diagnostics, ...diagnostics]).map((d) => d.code);
}

const service = 'virtual_server 10.0.0.1 80 {\n protocol TCP\n lvs_sched rr\n lvs_method NAT\n real_server 10.0.1.1 80 {\n  TCP_CHECK {\n  }\n }\n}\n';

describe('errors that stop the checker process', () => {
  it('ignores an error inside a vrrp_instance', () => {
    expect(blockingCodes(`vrrp_instance VI_1 {\n interface eth0\n priority 100\n virtual_ipaddress {\n 10.0.0.1\n }\n}\n${service}`)).toEqual([]);
  });
  it('ignores an error on a vrrp_* line of global_defs', () => {
    expect(blockingCodes(`global_defs {\n vrrp_garp_lower_prio_repeat x\n}\n${service}`)).toEqual([]);
  });
  it('keeps an error inside a virtual_server', () => {
    expect(blockingCodes(service.replace('lvs_sched rr', 'lvs_sched rr\n bogus_keyword 1'))).toEqual(['KTS_UNKNOWN_KEYWORD']);
  });
  it('keeps a lexical error even inside a VRRP section', () => {
    expect(blockingCodes(`${service}vrrp_instance VI_1 {\n interface "eth0\n}\n`)).toContain('KTS_UNTERMINATED_QUOTE');
  });
});
