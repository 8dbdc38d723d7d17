// HTTP_GET { } and SSL_GET { } with their url { } blocks.
import { type BlockTable, type KeywordSpec, bool, deprecated, int, kw, none, oneOf, parsed, str, words } from './types.js';
import { CHECK_COMMON, networkChecker } from './checker-common.js';

/** HTTP_GET and SSL_GET still take the old `nb_get_retry` for `retry`, with a warning. */
const HTTP_COMMON = CHECK_COMMON.map((k) => (k.name === 'retry' ? { ...k, aliases: [deprecated('nb_get_retry')] } : k));

const httpSpecific = (tls: boolean): readonly KeywordSpec[] => [
  kw('url', none(), 'A URL to fetch and its expected answer', { block: tls ? 'SSL_GET.url' : 'HTTP_GET.url', repeatable: true }),
  kw('http_protocol', oneOf(['1.0', '1.0C', '1.1']), 'HTTP version of requests', { defaultValue: '1.0' }),
  kw('virtualhost', str(), 'Host header'),
  kw('fast_recovery', bool(), 'Retry at once after a failure'),
  // keepalived 2.2.7 installs enable_sni for HTTP_GET too (where it has no effect).
  kw('enable_sni', bool(), 'Send SNI'),
  ...(tls ? [kw('sni_name', str(), 'SNI name'), parsed('tls_compliant', bool(), 'Close TLS properly')] : []),
];

const urlTable = (name: string, tls: boolean): BlockTable => ({
  name,
  header: 'url',
  keywords: [
    kw('path', str(), 'Request path'),
    kw('digest', str(), 'Expected MD5 of the body (hex)'),
    kw('status_code', words(), 'Expected status codes or ranges (200, 200-299 ...)'),
    kw('virtualhost', str(), 'Host header for this URL'),
    kw('regex', str(), 'Body must match this regular expression (JavaScript RegExp; PCRE2 in keepalived)'),
    kw('regex_no_match', none(), 'Body must not match regex'),
    kw('regex_options', words(), 'PCRE2 options, mapped to RegExp flags where JavaScript has them'),
    kw('regex_min_offset', int(0, 2147483647), 'Match start offset'),
    kw('regex_max_offset', int(0, 2147483647), 'Match end offset'),
    kw('regex_stack', words(), 'PCRE2 JIT stack: START MAX (no effect: JavaScript has no JIT stack to size)'),
    ...(tls ? [parsed('tls_compliant', bool(), 'Close TLS properly')] : []),
  ],
});

export const HTTP_GET: BlockTable = networkChecker('HTTP_GET', httpSpecific(false), HTTP_COMMON);
export const HTTP_GET_URL: BlockTable = urlTable('HTTP_GET.url', false);
export const SSL_GET: BlockTable = networkChecker('SSL_GET', httpSpecific(true), HTTP_COMMON);
export const SSL_GET_URL: BlockTable = urlTable('SSL_GET.url', true);
