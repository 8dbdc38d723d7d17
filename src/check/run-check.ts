// Dispatches a CheckerSpec to its checker. The one entry the scheduler and the daemon call.
import { checkDns } from './dns.js';
import { checkFile } from './file.js';
import { checkHttp } from './http.js';
import { checkMisc } from './misc.js';
import { checkPing } from './ping.js';
import { checkSmtp } from './smtp.js';
import { checkTcp } from './tcp.js';
import { checkUdp } from './udp.js';
import { errorReason } from './bounded.js';
import type { CheckResult, CheckerSpec, RealServerTarget } from './types.js';

export async function runCheck(spec: CheckerSpec, target: RealServerTarget, signal: AbortSignal): Promise<CheckResult> {
  try {
    switch (spec.kind) {
      case 'HTTP_GET':
      case 'SSL_GET':
        return await checkHttp(spec, target, signal);
      case 'TCP_CHECK':
        return await checkTcp(spec, target, signal);
      case 'SMTP_CHECK':
        return await checkSmtp(spec, target, signal);
      case 'DNS_CHECK':
        return await checkDns(spec, target, signal);
      case 'UDP_CHECK':
        return await checkUdp(spec, target, signal);
      case 'PING_CHECK':
        return await checkPing(spec, target, signal);
      case 'MISC_CHECK':
        return await checkMisc(spec, target, signal);
      case 'FILE_CHECK':
        return await checkFile(spec, target, signal);
    }
  } catch (error) {
    // Checkers do not reject; this keeps the promise if one ever does.
    return { ok: false, reason: errorReason(error), latencyMs: 0 };
  }
}
