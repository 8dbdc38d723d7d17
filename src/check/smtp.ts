// SMTP_CHECK: read the greeting, send HELO helo_name, and require 2xx for both; then QUIT.
// A 4xx/5xx greeting (a server refusing service) or a refused HELO means down.
import { runBounded, errorReason } from './bounded.js';
import { connectStream } from './check-socket.js';
import { endpointOf } from './connect-options.js';
import { readSmtpReply } from './smtp-reply.js';
import type { CheckResult, RealServerTarget, SmtpCheckSpec } from './types.js';

export const DEFAULT_HELO_NAME = 'smtpchecker.keepalived.org';
const SMTP_PORT = 25;

export function checkSmtp(spec: SmtpCheckSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  return runBounded(spec.connectTimeoutMs, signal, (settle) => {
    const socket = connectStream(endpointOf(spec, target, SMTP_PORT));
    let buffered = '';
    let stage: 'greeting' | 'helo' = 'greeting';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      for (;;) {
        const read = readSmtpReply(buffered);
        if (read.kind === 'incomplete') return;
        if (read.kind === 'malformed') return settle(false, `malformed SMTP reply ${JSON.stringify(read.line)}`);
        buffered = buffered.slice(read.reply.length);
        const { code, text } = read.reply;
        if (code < 200 || code > 299) return settle(false, `${stage === 'greeting' ? 'greeting' : 'HELO'} refused: ${code} ${text}`);
        if (stage === 'greeting') {
          stage = 'helo';
          socket.write(`HELO ${spec.heloName ?? DEFAULT_HELO_NAME}\r\n`);
        } else {
          socket.end('QUIT\r\n');
          return settle(true, `HELO accepted: ${code}`);
        }
      }
    });
    socket.on('end', () => settle(false, `connection closed during ${stage}`));
    socket.on('error', (error) => settle(false, errorReason(error)));
    // After QUIT let the server read it, but never keep the socket past a second.
    return () => (socket.writableEnded ? socket.setTimeout(1000, () => socket.destroy()).unref() : socket.destroy());
  });
}
