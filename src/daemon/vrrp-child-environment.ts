// The VRRP child's environment at exec. Node reads NODE_EXTRA_CA_CERTS at every process start and
// parses each certificate in it before any JS runs: pointed at the system bundle (as on hosts that
// set it globally) that is 40-55 ms of a 60-80 ms Node start, on a cold start's critical path. The
// VRRP child makes no TLS connection, so it starts without it; the value travels under another name
// and goes back into process.env as the child's first step, so the scripts it runs (notify,
// vrrp_script) see the environment unchanged. The checker child keeps it (SSL_GET).

/** Where the VRRP child finds NODE_EXTRA_CA_CERTS' value while it starts without it. */
export const DEFERRED_EXTRA_CA_CERTS = 'KEEPALIVED_TS_DEFERRED_NODE_EXTRA_CA_CERTS';

/** `env` for forking the VRRP child: NODE_EXTRA_CA_CERTS moved under DEFERRED_EXTRA_CA_CERTS. */
export function vrrpChildEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_EXTRA_CA_CERTS: extraCaCerts, ...rest } = env;
  return extraCaCerts === undefined ? rest : { ...rest, [DEFERRED_EXTRA_CA_CERTS]: extraCaCerts };
}

/** In the VRRP child: puts NODE_EXTRA_CA_CERTS back into `env` (process.env) for what it runs. */
export function restoreDeferredEnvironment(env: NodeJS.ProcessEnv): void {
  const deferred = env[DEFERRED_EXTRA_CA_CERTS];
  if (deferred === undefined) return;
  env['NODE_EXTRA_CA_CERTS'] = deferred;
  delete env[DEFERRED_EXTRA_CA_CERTS];
}
