// The bench's real servers, shared by our worker and the keepalived config: TCP_CHECK servers
// on 127.1.x.y and HTTP_GET servers on 127.2.x.y, spread over a few listener ports.

export function benchServers(tcpCount, httpCount, tcpBase, httpBase, ports) {
  const servers = [];
  const address = (net, i) => `127.${net}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  for (let i = 0; i < tcpCount; i++) servers.push({ kind: 'TCP_CHECK', address: address(1, Math.floor(i / ports)), port: tcpBase + (i % ports) });
  for (let i = 0; i < httpCount; i++) servers.push({ kind: 'HTTP_GET', address: address(2, Math.floor(i / ports)), port: httpBase + (i % ports) });
  return servers;
}

/** The same servers as a keepalived.conf: one virtual server per 500 real servers, delay_loop 1. */
export function keepalivedConfig(servers) {
  const lines = ['global_defs {', '  router_id ktsck_bench', '}'];
  for (let start = 0, vs = 0; start < servers.length; start += 500, vs++) {
    lines.push(`virtual_server 10.255.${Math.floor(vs / 250)}.${(vs % 250) + 1} 80 {`, '  delay_loop 1', '  lb_algo rr', '  lb_kind NAT', '  protocol TCP');
    for (const server of servers.slice(start, start + 500)) {
      lines.push(`  real_server ${server.address} ${server.port} {`);
      if (server.kind === 'TCP_CHECK') lines.push('    TCP_CHECK {', '      connect_timeout 5', '    }');
      else lines.push('    HTTP_GET {', '      url {', '        path /', '        status_code 200', '      }', '      connect_timeout 5', '    }');
      lines.push('  }');
    }
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}
