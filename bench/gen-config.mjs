// Writes a large keepalived.conf for parser benchmarks: 100 vrrp_instances and 100 virtual_servers
// of 100 real_servers each (alternating TCP_CHECK and HTTP_GET), about 61,600 lines.
// Usage: node bench/gen-config.mjs [OUT_FILE]   (prints to stdout without OUT_FILE)
import { writeFileSync } from 'node:fs';

export function generateConfig({ instances = 100, virtualServers = 100, realServers = 100 } = {}) {
  const out = ['global_defs {', '  router_id bench_director', '}', ''];
  for (let i = 0; i < instances; i++) {
    out.push(
      `vrrp_instance VI_${i} {`,
      '  state BACKUP',
      '  interface eth0',
      `  virtual_router_id ${(i % 255) + 1}`,
      '  priority 100',
      '  advert_int 1',
      '  virtual_ipaddress {',
      `    10.1.${i >> 8}.${i & 255}/32 dev eth0`,
      '  }',
      '}',
    );
  }
  for (let v = 0; v < virtualServers; v++) {
    out.push(`virtual_server 10.2.${v >> 8}.${v & 255} 80 {`, '  delay_loop 6', '  lb_algo rr', '  lb_kind DR', '  protocol TCP', '');
    for (let r = 0; r < realServers; r++) {
      out.push(`  real_server 10.3.${v}.${r + 1} 80 {`, '    weight 1');
      if (r % 2 === 0) out.push('    TCP_CHECK {', '      connect_timeout 3', '    }');
      else out.push('    HTTP_GET {', '      url { path /health }', '    }');
      out.push('  }');
    }
    out.push('}');
  }
  return out.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = generateConfig();
  if (process.argv[2]) writeFileSync(process.argv[2], text);
  else process.stdout.write(text);
}
