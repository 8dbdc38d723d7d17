// keepalived.conf checker settings → check specs, on configs read by the real loader.
import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../src/config/load.js';
import { checksFromConfig } from '../../src/check/from-config.js';
import { parseAccounts } from '../../src/common/script-user.js';

function checks(text: string, options: Parameters<typeof checksFromConfig>[1] = {}) {
  const { config } = loadConfigText(text, 'test.conf', { system: null });
  return checksFromConfig(config, {
    accounts: parseAccounts('nobody:x:65534:65534::/:/bin/false\n', 'nogroup:x:65534:\n'),
    readTextFile: (path) => `PEM ${path}`,
    resolveProgram: (program) => (program === 'exit' ? undefined : program.includes('/') ? program : `/usr/bin/${program}`),
    ...options,
  });
}

const vs = (body: string, head = '') => `${head}
virtual_server 10.0.0.1 80 {
  delay_loop 6
  protocol TCP
${body}
}
`;

describe('checksFromConfig', () => {
  it('maps HTTP_GET url blocks, status ranges, digest, virtualhost, protocol and connection settings', () => {
    const { servers, problems } = checks(
      vs(`  virtualhost vs.example
  real_server 192.0.2.1 8080 {
    weight 3
    HTTP_GET {
      url {
        path /health
        digest 5EB63BBBE01EEED093CB22BB8F5ACDC3
        status_code 200-299 503
      }
      url {
        path /b
        virtualhost url.example
      }
      http_protocol 1.0C
      connect_timeout 3
      connect_ip 192.0.2.9
      connect_port 81
      bindto 192.0.2.100
      bind_port 4000
    }
  }`),
    );
    expect(problems).toEqual([]);
    expect(servers).toHaveLength(1);
    expect(servers[0]!.checks[0]!.timing.recoverAfter).toBe(2);
    expect(servers[0]!.target).toEqual({ id: '10.0.0.1:80/192.0.2.1:8080', address: '192.0.2.1', port: 8080, weight: 3 });
    expect(servers[0]!.checks[0]!.spec).toEqual({
      kind: 'HTTP_GET',
      connectTimeoutMs: 3000,
      connectIp: '192.0.2.9',
      connectPort: 81,
      bindTo: '192.0.2.100',
      bindPort: 4000,
      urls: [
        { path: '/health', digest: '5eb63bbbe01eeed093cb22bb8f5acdc3', statusCodes: [{ from: 200, to: 299 }, { from: 503, to: 503 }] },
        { path: '/b', virtualhost: 'url.example' },
      ],
      httpProtocol: '1.0C',
      virtualhost: 'vs.example',
    });
  });

  it('timing: checker over real_server over virtual_server, with keepalived defaults per checker', () => {
    const { servers } = checks(
      vs(`  retry 4
  alpha
  real_server 192.0.2.1 80 {
    delay_loop 2
    warmup 0
    TCP_CHECK {
      retry 2
      delay_before_retry 0.5
    }
    HTTP_GET {
      url {
        path /
      }
    }
    DNS_CHECK {
      type A
      name www.example
    }
    MISC_CHECK {
      misc_path "/bin/check.sh arg1"
    }
  }`),
    );
    const [tcp, http, dns, misc] = servers[0]!.checks;
    expect(tcp!.timing).toEqual({ delayLoopMs: 2000, retry: 2, delayBeforeRetryMs: 500, warmupMs: 0, alpha: true });
    expect(http!.timing).toEqual({ delayLoopMs: 2000, retry: 4, delayBeforeRetryMs: 3000, warmupMs: 0, alpha: true });
    expect(http!.timing.recoverAfter).toBeUndefined();
    expect(dns!.spec).toMatchObject({ kind: 'DNS_CHECK', type: 'A', name: 'www.example', connectTimeoutMs: 5000 });
    expect(dns!.timing.delayBeforeRetryMs).toBe(2000);
    expect(misc!.spec).toEqual({ kind: 'MISC_CHECK', argv: ['/bin/check.sh', 'arg1'], timeoutMs: 2000, dynamic: false });
  });

  it('keepalived defaults with nothing set: delay_loop 60 s, warmup = delay_loop, retry 1 (MISC 0, DNS 3)', () => {
    const { servers } = checks(`virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.0.2.1 80 {
    TCP_CHECK {
    }
    MISC_CHECK {
      misc_path /bin/true
      misc_timeout 4
      misc_dynamic
      user nobody
    }
  }
}
`);
    const [tcp, misc] = servers[0]!.checks;
    expect(tcp!.timing).toEqual({ delayLoopMs: 60_000, retry: 1, delayBeforeRetryMs: 1000, warmupMs: 60_000, alpha: false });
    expect(tcp!.spec).toEqual({ kind: 'TCP_CHECK', connectTimeoutMs: 5000 });
    expect(misc!.timing.retry).toBe(0);
    expect(misc!.spec).toEqual({ kind: 'MISC_CHECK', argv: ['/bin/true'], timeoutMs: 4000, dynamic: true, uid: 65534, gid: 65534 });
  });

  it('SSL_GET with SNI and the SSL block; SMTP host blocks; UDP hex strings; PING', () => {
    const { servers, problems } = checks(
      vs(
        `  real_server 192.0.2.1 443 {
    SSL_GET {
      url {
        path /
      }
      enable_sni
      sni_name sni.example
    }
    SMTP_CHECK {
      helo_name lb.example
      host {
        connect_ip 192.0.2.9
        connect_port 2525
      }
      host {
        connect_ip 192.0.2.10
      }
    }
    UDP_CHECK {
      payload ab12
      require_reply ab1x
      min_reply_length 2
      max_reply_length 100
    }
    PING_CHECK {
    }
  }`,
        'SSL {\n  ca /etc/ca.pem\n}',
      ),
    );
    expect(problems).toEqual([]);
    const specs = servers[0]!.checks.map((c) => c.spec);
    expect(specs[0]).toMatchObject({ kind: 'SSL_GET', enableSni: true, sniName: 'sni.example', tls: { ca: 'PEM /etc/ca.pem' } });
    expect(specs[1]).toMatchObject({ kind: 'SMTP_CHECK', heloName: 'lb.example', connectIp: '192.0.2.9', connectPort: 2525 });
    expect(specs[2]).toMatchObject({ kind: 'SMTP_CHECK', connectIp: '192.0.2.10' });
    expect(specs[3]).toEqual({
      kind: 'UDP_CHECK',
      connectTimeoutMs: 5000,
      payload: Buffer.from([0xab, 0x12]),
      requireReply: { pattern: [0xa, 0xb, 1, null] },
      minReplyLength: 2,
      maxReplyLength: 100,
    });
    expect(specs[4]).toEqual({ kind: 'PING_CHECK', connectTimeoutMs: 5000 });
  });

  it('fast_recovery lets a multi-url HTTP check come up after one round of all urls', () => {
    const { servers, problems } = checks(
      vs(`  real_server 192.0.2.1 80 {
    HTTP_GET {
      url {
        path /a
      }
      url {
        path /b
      }
      fast_recovery
    }
  }`),
    );
    expect(problems).toEqual([]);
    expect(servers[0]!.checks[0]!.timing.recoverAfter).toBeUndefined();
  });

  it('FILE_CHECK follows its track_file (weight from the checker or the track_file)', () => {
    const { servers } = checks(`track_file tf {
  file /run/weight
  weight 5
}
virtual_server 10.0.0.1 80 {
  protocol TCP
  real_server 192.0.2.1 80 {
    FILE_CHECK {
      track_file tf
    }
    FILE_CHECK {
      track_file tf
      weight 2 reverse
    }
  }
}
`);
    expect(servers[0]!.checks.map((c) => c.spec)).toEqual([
      { kind: 'FILE_CHECK', path: '/run/weight', weight: 5, reverse: false, dynamic: false },
      { kind: 'FILE_CHECK', path: '/run/weight', weight: 2, reverse: true, dynamic: false },
    ]);
  });

  it('reports what cannot become a check, with its location', () => {
    const { servers, problems } = checks(
      vs(`  real_server 192.0.2.1 80 {
    MISC_CHECK {
      misc_path /bin/true
      user ghost
    }
    FILE_CHECK {
      track_file missing
    }
    MISC_CHECK {
      misc_path "exit 0"
    }
    HTTP_GET {
      url {
        path /
        regex "(unclosed"
      }
    }
  }`),
      {},
    );
    expect(servers[0]!.checks).toEqual([]);
    expect(problems.map((p) => [p.message, p.loc.line])).toEqual([
      ["MISC_CHECK user: script user 'ghost' does not exist; checker removed, as keepalived does", 6],
      ['FILE_CHECK track_file missing is not a track_file with a file', 10],
      ['MISC_CHECK script exit not found or not executable: checker disabled, as keepalived does', 13],
      ['regex "(unclosed" is not a valid JavaScript regular expression (keepalived uses PCRE2; PCRE2-only syntax such as possessive quantifiers, atomic groups or inline (?i) does not compile here)', 16],
    ]);
  });
});
