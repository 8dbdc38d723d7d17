// Seeded mutations of a valid config through the whole loader (parser, schema, model, cross-
// checks): nothing throws, and every diagnostic carries a registered code and a location inside
// the input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CODES } from '../../src/config/codes.js';
import { loadConfigText } from '../../src/config/load.js';

const BASE = `global_defs {
  router_id LB1
  vrrp_garp_interval 0.001
}
vrrp_script chk { script "/bin/true" interval 2 weight -10 }
vrrp_instance VI_1 {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority 100
  advert_int 1
  authentication { auth_type PASS auth_pass x }
  virtual_ipaddress {
    10.0.0.1/24 dev eth0 label eth0:1
  }
  virtual_routes {
    10.9.0.0/16 via 10.0.0.254 dev eth0
  }
  virtual_rules {
    from 10.0.0.0/24 table 5 preference 10
  }
  unicast_peer {
    10.0.0.3 min_ttl 250
  }
  track_script {
    chk weight 5 reverse
  }
}
vrrp_sync_group G { group { VI_1 } }
virtual_server_group W { 10.0.0.1-9 80 fwmark 5 }
virtual_server group W {
  lb_algo rr
  lb_kind DR
  persistence_timeout
  real_server 10.0.1.1 80 {
    HTTP_GET { url { path / status_code 200 } connect_timeout 2 }
    MISC_CHECK { misc_path "/bin/true" }
  }
}
`;
const WORDS = ['{', '}', '"', 'priority', 'weight', '-1', '0', '999999999999', '1.5', 'group', 'fwmark', 'dev', 'via', 'brd', 'x', '', '\n', '10.0.0.', '::', 'on'];

describe('loader under mutation', () => {
  it('never throws and reports only registered codes at real places', () => {
    const lineCount = BASE.split('\n').length;
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.nat(BASE.length), cut: fc.nat(12), word: fc.constantFrom(...WORDS) }), { minLength: 1, maxLength: 6 }),
        (edits) => {
          let text = BASE;
          for (const { at, cut, word } of edits) {
            const p = at % (text.length + 1);
            text = text.slice(0, p) + word + text.slice(p + cut);
          }
          const { diagnostics, config } = loadConfigText(text, 'fuzz.conf', { system: null, configId: 'node' });
          expect(config).toBeDefined();
          for (const d of diagnostics) {
            expect(CODES[d.code], d.code).toBeDefined();
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.line).toBeLessThanOrEqual(lineCount + 6 * 2 + 1);
          }
        },
      ),
      { seed: 20261121, numRuns: 3000 },
    );
  });
});
