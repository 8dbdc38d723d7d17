// loadConfig checks each top-level block (and builds each virtual_server) while the file is still
// being parsed; loadTree does the same steps over a whole parsed tree (the checker process uses it).
// Both must give the same model and the same diagnostics in the same order, whatever the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfigText, loadTree } from '../../src/config/load.js';
import { parseConfigText } from '../../src/config/parse.js';

const OPTIONS = { system: null, configId: 'node', env: {} } as const;

/** loadConfigText's answer, the way it was computed before streaming: parse everything, then load the tree. */
function loadWhole(text: string) {
  const parsed = parseConfigText(text, 'stream.conf', OPTIONS);
  const loaded = loadTree(parsed.tree, null);
  return { config: loaded.config, diagnostics: [...parsed.diagnostics, ...loaded.diagnostics], files: parsed.files };
}

// Model diagnostics from virtual_servers (bad real_server address, service words) before and
// after other blocks that report in the model (duplicate names, a priority-255 owner's weights).
const BASE = `virtual_server 10.0.0.1 80 {
  lb_algo rr
  real_server 10.0.0.300 80 { weight 1 }
  real_server 10.0.1.1 80 { TCP_CHECK { connect_timeout 2 } }
}
global_defs {
  router_id LB1
  router_id LB2
}
vrrp_script chk { script "/bin/true" weight -10 }
vrrp_instance VI_1 {
  interface eth0
  virtual_router_id 51
  priority 255
  virtual_ipaddress { 10.0.0.1/24 }
  track_script { chk }
  lb_kind DR
}
virtual_server fwmark x { real_server 10.0.1.2 80 { } }
vrrp_instance VI_1 { interface eth1 virtual_router_id 52 virtual_ipaddress { 10.0.0.2 } }
virtual_server group NONE { protocol TCP real_server 10.0.1.3 80 { weight 2 } }
vrrp_sync_group G { group { VI_1 VI_9 } }
virtual_server 10.0.0.9 { real_server 10.0.1.4 80 { } }
global_defs { vrrp_strict }
`;

describe('streamed load', () => {
  it('gives what loading the whole parsed tree gives, diagnostics in the same order', () => {
    const streamed = loadConfigText(BASE, 'stream.conf', OPTIONS);
    const whole = loadWhole(BASE);
    expect(streamed).toEqual(whole);
    const codes = streamed.diagnostics.map((d) => d.code);
    // The virtual_servers' own reports come after the other blocks' model reports, as before.
    expect(codes.lastIndexOf('KTS_DUPLICATE_NAME')).toBeLessThan(codes.lastIndexOf('KTS_INVALID_VALUE'));
    expect(streamed.config.virtualServers.length).toBe(whole.config.virtualServers.length);
    expect(streamed.config.virtualServers.length).toBeGreaterThan(1);
  });

  it('agrees with loading the whole tree under mutation', () => {
    const WORDS = ['{', '}', '"', 'virtual_server', 'real_server', 'vrrp_instance', 'VI_1', 'weight', '-1', '10.0.0.', 'group', 'fwmark', '\n', ''];
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(BASE.length), cut: fc.nat(12), word: fc.constantFrom(...WORDS) }), { minLength: 1, maxLength: 5 }),
        (edits) => {
          let text = BASE;
          for (const { at, cut, word } of edits) {
            const p = at % (text.length + 1);
            text = text.slice(0, p) + word + text.slice(p + cut);
          }
          expect(loadConfigText(text, 'stream.conf', OPTIONS)).toEqual(loadWhole(text));
        },
      ),
      { seed: 20261121, numRuns: 1000 },
    );
  });
});
