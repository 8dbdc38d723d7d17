// Drops are all counted; the log line for a reason is rate-limited and says how many since the last.
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { DropCounter } from '../../src/vrrp/runtime/drop-counter.js';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { lines.push(JSON.parse(String(chunk)).msg); done(); } });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('DropCounter', () => {
  it('counts every drop and logs each reason at most once per period', () => {
    const { logger, lines } = capturingLogger();
    const drops = new DropCounter(logger, '(VI_1) ', 1000);
    for (let i = 0; i < 5; i++) drops.count('bad-ttl', '10.0.0.2', i * 10);
    drops.count('auth-mismatch', '10.0.0.3', 50);
    drops.count('bad-ttl', '10.0.0.2', 1500);
    expect(drops.counts).toEqual({ 'bad-ttl': 6, 'auth-mismatch': 1 });
    expect(drops.total()).toBe(7);
    expect(lines).toEqual([
      '(VI_1) dropped advert from 10.0.0.2: bad-ttl (1 since last report, 1 in all)',
      '(VI_1) dropped advert from 10.0.0.3: auth-mismatch (1 since last report, 1 in all)',
      '(VI_1) dropped advert from 10.0.0.2: bad-ttl (5 since last report, 6 in all)',
    ]);
  });
});
