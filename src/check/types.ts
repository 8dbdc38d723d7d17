// The check layer's own input and output types. Plain data, independent of the config model:
// from-config.ts maps keepalived.conf settings onto these, tests and genhash build them directly.

/** A real server as the checkers see it. */
export interface RealServerTarget {
  /** Stable identity for logs and state changes, e.g. "10.0.0.1:80". */
  readonly id: string;
  readonly address: string;
  /** 0 when the real server has no port (fwmark services, PING_CHECK). */
  readonly port: number;
  /** Configured IPVS weight (MISC_CHECK misc_dynamic and FILE_CHECK dynamic adjust it). */
  readonly weight?: number;
}

/** Connection settings every network checker shares (keepalived's "generic connection options"). */
export interface ConnectionOptions {
  /** Connect here instead of the real server's address. */
  readonly connectIp?: string;
  readonly connectPort?: number;
  /** Source address (bindto) and port (bind_port). */
  readonly bindTo?: string;
  readonly bindPort?: number;
  /** bind_if: the interface that scopes a link-local bindto / connect address. */
  readonly bindInterface?: string;
  /** fwmark: SO_MARK on the check's socket (policy routing of check traffic). */
  readonly fwmark?: number;
  /** connect_timeout in ms: bounds the whole exchange of one check. keepalived's default: 5 s. */
  readonly connectTimeoutMs: number;
}

/** One `url { }` block of HTTP_GET / SSL_GET. */
export interface HttpUrlSpec {
  readonly path: string;
  /** MD5 of the body as 32 lowercase hex digits. */
  readonly digest?: string;
  /** Accepted status codes as inclusive ranges; keepalived's default is 200-299. */
  readonly statusCodes?: readonly StatusRange[];
  readonly virtualhost?: string;
  /** Source of a regular expression the body must (or with regexNoMatch must not) match. */
  readonly regex?: string;
  readonly regexNoMatch?: boolean;
  /** RegExp flags from regex_options (see config/values/regex-options.ts for the PCRE2 mapping). */
  readonly regexFlags?: string;
  /** regex_min_offset / regex_max_offset: where in the body a match may start. */
  readonly regexMinOffset?: number;
  readonly regexMaxOffset?: number;
}

export interface StatusRange {
  readonly from: number;
  readonly to: number;
}

/** keepalived's http_protocol: 1.0, 1.0C (1.0 + Connection: close), 1.1 (always Connection: close). */
export type HttpProtocol = '1.0' | '1.0C' | '1.1';

export interface HttpCheckSpec extends ConnectionOptions {
  readonly kind: 'HTTP_GET' | 'SSL_GET';
  readonly urls: readonly HttpUrlSpec[];
  readonly httpProtocol?: HttpProtocol;
  /** Default Host header when a url has none (real server's, then virtual server's virtualhost). */
  readonly virtualhost?: string;
  /** SSL_GET: send SNI (sni_name, else the virtualhost). */
  readonly enableSni?: boolean;
  readonly sniName?: string;
  /** SSL_GET: TLS client material from the SSL block; certificates are never verified, as in keepalived. */
  readonly tls?: { readonly ca?: string; readonly certificate?: string; readonly key?: string; readonly password?: string };
}

export interface TcpCheckSpec extends ConnectionOptions {
  readonly kind: 'TCP_CHECK';
}

export interface SmtpCheckSpec extends ConnectionOptions {
  readonly kind: 'SMTP_CHECK';
  /** Name sent with HELO; keepalived's default is smtpchecker.keepalived.org. */
  readonly heloName?: string;
}

export type DnsQueryType = 'A' | 'NS' | 'CNAME' | 'SOA' | 'MX' | 'TXT' | 'AAAA';

export interface DnsCheckSpec extends ConnectionOptions {
  readonly kind: 'DNS_CHECK';
  /** Default SOA. */
  readonly type?: DnsQueryType;
  /** Default "." (the root). */
  readonly name?: string;
}

export interface UdpCheckSpec extends ConnectionOptions {
  readonly kind: 'UDP_CHECK';
  /** Datagram to send; keepalived's default text when absent. */
  readonly payload?: Uint8Array;
  /** When set, a reply must arrive; `pattern` (nibbles, null = any) must match its start. */
  readonly requireReply?: { readonly pattern?: readonly (number | null)[] };
  readonly minReplyLength?: number;
  readonly maxReplyLength?: number;
}

export interface PingCheckSpec extends ConnectionOptions {
  readonly kind: 'PING_CHECK';
}

export interface MiscCheckSpec {
  readonly kind: 'MISC_CHECK';
  /** misc_path as the argument vector keepalived runs directly, without a shell (see common/script-command). */
  readonly argv: readonly string[];
  /** misc_timeout in ms; keepalived's default is delay_loop. */
  readonly timeoutMs: number;
  /** Exit status 2..255 means up with weight (status - 2). */
  readonly dynamic?: boolean;
  readonly uid?: number;
  readonly gid?: number;
}

export interface FileCheckSpec {
  readonly kind: 'FILE_CHECK';
  /** The track_file's file. */
  readonly path: string;
  /** Multiplier for the value read (0: any non-zero value means down). Default 1. */
  readonly weight?: number;
  readonly reverse?: boolean;
  /** Report value x weight as a weight adjustment. */
  readonly dynamic?: boolean;
}

export type CheckerSpec =
  | HttpCheckSpec
  | TcpCheckSpec
  | SmtpCheckSpec
  | DnsCheckSpec
  | UdpCheckSpec
  | PingCheckSpec
  | MiscCheckSpec
  | FileCheckSpec;

export type CheckerKind = CheckerSpec['kind'];

/** Outcome of one check run. */
export interface CheckResult {
  readonly ok: boolean;
  /** Why it failed (or a short note on success), e.g. "status 503 not in 200-299". */
  readonly reason: string;
  readonly latencyMs: number;
  /** MISC_CHECK misc_dynamic: the real server's weight to use while up. */
  readonly weight?: number;
  /** FILE_CHECK dynamic: amount added to the configured weight. */
  readonly weightDelta?: number;
}

/** Every checker has this shape and never rejects: failures are results. */
export type Checker<S> = (spec: S, target: RealServerTarget, signal: AbortSignal) => Promise<CheckResult>;

/** Timing of one checker on one real server (keepalived's per-checker settings, in ms). */
export interface CheckTiming {
  /** delay_loop: interval between checks while the state is settled. */
  readonly delayLoopMs: number;
  /** retry (nb_get_retry): extra failed checks tolerated before an up server goes down. */
  readonly retry: number;
  /** delay_before_retry: wait after a failure before checking again. */
  readonly delayBeforeRetryMs: number;
  /** warmup: the first check starts at a random moment within this many ms (0: at once). */
  readonly warmupMs: number;
  /** alpha: start down and wait for a first success instead of starting up. */
  readonly alpha: boolean;
  /**
   * Consecutive successful checks, delay_loop apart, that bring a down checker up (default 1).
   * HTTP_GET/SSL_GET without fast_recovery need one per url, as keepalived checks one url per
   * delay_loop while recovering.
   */
  readonly recoverAfter?: number;
}
