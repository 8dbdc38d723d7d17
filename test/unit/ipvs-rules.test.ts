// Parsing ipvsadm command lines (the restore format): defaults ipvsadm applies, every spelling
// of an option, and a clear error for each kind of bad line, with line numbers for files.
import { describe, expect, it } from 'vitest';
import { parseRule, parseRules } from '../../src/ipvs/text/rules.js';

const rule = (line: string) => {
  const result = parseRule(line);
  if (!result.ok) throw new Error(result.error);
  return result.rule;
};
const error = (line: string) => {
  const result = parseRule(line);
  return result.ok ? null : result.error;
};

describe('restore rule parsing', () => {
  it("applies ipvsadm's defaults: wlc, not persistent, weight 1, direct routing, the service's port", () => {
    expect(rule('-A -t 10.0.0.1:80')).toEqual({
      kind: 'add-service',
      service: {
        family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80, scheduler: 'wlc', persistence: null, netmask: 32,
        persistenceEngine: null, onePacket: false, schedulerFlags: [],
      },
    });
    expect(rule('-a -t 10.0.0.1:80 -r 10.0.0.2')).toEqual({
      kind: 'add-destination',
      service: { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 },
      destination: {
        family: 'inet', address: '10.0.0.2', port: 80, forwarding: 'route', weight: 1, upperThreshold: 0, lowerThreshold: 0,
        tunnelType: 'ipip', tunnelPort: 0, tunnelFlags: 0,
      },
    });
  });

  it('reads persistence with and without a timeout, masks, flags, engines and one-packet scheduling', () => {
    expect(rule('-A -u 10.0.0.1:53 -s sh -p -M 255.255.255.0 -b sh-port,sh-fallback --pe sip -o')).toMatchObject({
      service: { protocol: 'udp', scheduler: 'sh', persistence: 360, netmask: 24, schedulerFlags: [1, 2], persistenceEngine: 'sip', onePacket: true },
    });
    expect(rule('--add-service --tcp-service [2001:db8::1]:443 --scheduler lblcr --persistent 60 --netmask 64')).toMatchObject({
      service: { family: 'inet6', address: '2001:db8::1', port: 443, persistence: 60, netmask: 64 },
    });
    expect(rule('-A -f 6 -6 -s rr')).toMatchObject({ service: { family: 'inet6', fwmark: 6 } });
    expect(rule('-A -t 10.0.0.6 -s rr -p')).toMatchObject({ service: { port: 0, persistence: 360 } });
    expect(rule('-A -t 10.0.0.1:80 -s rr -b flag-1,flag-3')).toMatchObject({ service: { schedulerFlags: [1, 3] } });
    expect(rule('-A -f -1 -s rr')).toMatchObject({ service: { fwmark: 4294967295 } });
  });

  it('reads every forwarding method and tunnel option', () => {
    expect(rule('-a -u 10.0.0.1:53 -r 10.0.0.6 -i --tun-type gue --tun-port 6080 --tun-remcsum -w 0 -x 10 -y 5')).toMatchObject({
      destination: { forwarding: 'tunnel', tunnelType: 'gue', tunnelPort: 6080, tunnelFlags: 2, weight: 0, upperThreshold: 10, lowerThreshold: 5, port: 53 },
    });
    expect(rule('-a -t 10.0.0.1:80 -r 10.0.0.2:8080 -m')).toMatchObject({ destination: { forwarding: 'masq', port: 8080 } });
    expect(rule('-a -f 5 -r 10.0.0.9 -g')).toMatchObject({ destination: { forwarding: 'route', port: 0 } });
    expect(rule('-d -t 10.0.0.1:80 -r 10.0.0.2:80')).toEqual({
      kind: 'delete-destination', service: { family: 'inet', protocol: 'tcp', address: '10.0.0.1', port: 80 }, destination: { family: 'inet', address: '10.0.0.2', port: 80 },
    });
    expect(rule('-C')).toEqual({ kind: 'clear' });
  });

  it('explains each kind of bad line', () => {
    expect(error('-A -t 10.0.0.1:80 --bogus')).toBe("unknown option '--bogus'");
    expect(error('-t 10.0.0.1:80')).toBe('no command (-A, -E, -D, -C, -a, -e or -d)');
    expect(error('-A -t 10.0.0.1:80 -s')).toBe('option -s needs a value');
    expect(error('-A -t www.example.com:80')).toBe("virtual address 'www.example.com' is not an IP address (host names are not resolved)");
    expect(error('-A -t 10.0.0.1:70000')).toBe('virtual service port 70000 is out of range 0-65535');
    expect(error('-A -t 10.0.0.1:80 -o')).toBe('one-packet scheduling (-o) is only for UDP virtual services');
    expect(error('-A -t 10.0.0.1:80 -b sh-magic')).toBe("unknown scheduler flag 'sh-magic'");
    expect(error('-A -t 10.0.0.1:80 -M 255.0.255.0 -p')).toBe("netmask '255.0.255.0' is not contiguous");
    expect(error('-A -t 10.0.0.1:80 -r 10.0.0.2')).toBe('option --real-server does not apply to add-service');
    expect(error('-a -t 10.0.0.1:80')).toBe('no real server (-r)');
    expect(error('-a -t 10.0.0.1:80 -r 10.0.0.2 -m -g')).toBe('more than one forwarding method (-g, -i, -m)');
    expect(error('-a -t 10.0.0.1:80 -r 10.0.0.2 -i --tun-type gue')).toBe('a GUE tunnel needs --tun-port');
    expect(error('-a -t 10.0.0.1:80 -r 10.0.0.2 -i --tun-type gre --tun-remcsum')).toBe('--tun-remcsum applies only to GUE tunnels');
    expect(error('-a -t 10.0.0.1:80 -r 10.0.0.2 -m --tun-type gre')).toBe('tunnel options need tunnel forwarding (-i)');
    expect(error('-a -t 10.0.0.1:80 -r 10.0.0.2 -x 5 -y 10')).toBe('lower threshold 10 is above upper threshold 5');
    expect(error('-a -t 10.0.0.1:80 -r [2001:db8::2]:80 -m')).toBe('a real server of another address family needs tunnel forwarding (-i)');
    expect(error('-A -t 10.0.0.1:80 -u 10.0.0.1:53')).toBe('more than one virtual service on one line');
    expect(error('-A -t 10.0.0.1:80 -s wlc -b sh-port')).toBe("scheduler flag 'sh-port' applies only to the sh scheduler");
    expect(error('-A -t 10.0.0.6 -s rr')).toBe('port 0 (any port) is only for a persistent service (-p)');
    expect(error('-A -t 10.0.0.7:0 -s rr')).toBe('port 0 (any port) is only for a persistent service (-p)');
  });

  it('numbers the bad lines of a file, skipping blanks and comments, and keeps the good ones', () => {
    const parsed = parseRules('# saved\n-A -t 10.0.0.1:80 -s rr\n\nbogus line\n-a -t 10.0.0.1:80 -r 10.0.0.2 -w x\n-A -u 10.0.0.1:53 # dns\n');
    expect(parsed.errors).toEqual([
      { line: 4, message: "unknown option 'bogus'" },
      { line: 5, message: "weight 'x' is not a number" },
    ]);
    expect(parsed.rules.map(({ line }) => line)).toEqual([2, 6]);
  });
});
