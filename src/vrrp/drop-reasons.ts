// The closed set of reasons a received VRRP packet is dropped. Every drop is counted under one of
// these codes, so the codes are stable strings (they appear in logs, metrics and status dumps).

export const DROP_REASONS = {
  'truncated': 'shorter than its headers or its address count says',
  'bad-length': 'longer than its version and address count allow',
  'bad-ip-header': 'IP header malformed (version, header length or total length)',
  'not-vrrp': 'IP protocol is not 112',
  'bad-ttl': 'TTL or hop limit is not 255',
  'bad-version': 'VRRP version is neither 2 nor 3, or version 2 over IPv6',
  'bad-type': 'VRRP type is not 1 (advertisement)',
  'bad-checksum': 'VRRP checksum does not verify',
  'bad-interval': 'advertisement interval is zero',
  'unknown-auth-type': 'version 2 authentication type is not 0, 1 or 2',
  'missing-control-data': 'the kernel did not deliver the hop limit or destination address',
  'unknown-vrid': 'no virtual router with this VRID on this interface and family',
  'version-mismatch': 'VRRP version differs from the configured one',
  'auth-type-mismatch': 'version 2 authentication type differs from the configured one',
  'auth-mismatch': 'version 2 password differs from the configured one',
  'interval-mismatch': 'version 2 advertisement interval differs from the configured one',
  'address-count-mismatch': 'address count differs from the configured virtual addresses',
  'address-list-mismatch': 'addresses differ from the configured virtual addresses',
} as const;

export type DropReason = keyof typeof DROP_REASONS;

export const DROP_REASON_CODES = Object.keys(DROP_REASONS) as readonly DropReason[];

export function isDropReason(value: unknown): value is DropReason {
  return typeof value === 'string' && Object.hasOwn(DROP_REASONS, value);
}

/** One counter per reason, all starting at zero, so dumps always list every reason. */
export function emptyDropCounts(): Record<DropReason, number> {
  return Object.fromEntries(DROP_REASON_CODES.map((code) => [code, 0])) as Record<DropReason, number>;
}
