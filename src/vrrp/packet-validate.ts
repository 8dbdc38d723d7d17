// Receive checks of a decoded advert against the configured virtual router, in keepalived's
// order: VRID known, version, v2 auth type, v2 password (constant time), v2 interval, then the
// address list. A differing address list is reported but only drops the advert when asked to
// (RFC 3768/5798: the receiver MUST log it and MAY drop it; keepalived drops under vrrp_strict).
import { timingSafeEqual } from 'node:crypto';
import type { DropReason } from './drop-reasons.js';
import { VRRP_AUTH_DATA_LENGTH, passwordAuthData, type Advert, type AuthType, type VrrpVersion } from './packet.js';

export interface AdvertExpectation {
  readonly version: VrrpVersion;
  /** The configured virtual addresses, in the same text form the decoder produces. */
  readonly addresses: readonly string[];
  /** Version 2 only. */
  readonly authType?: AuthType;
  readonly password?: string;
  readonly advertIntervalSeconds?: number;
  readonly dropOnAddressMismatch?: boolean;
}

export type AddressMismatch = 'address-count-mismatch' | 'address-list-mismatch';

export type ValidationResult =
  | { readonly ok: true; readonly addressMismatch?: AddressMismatch }
  | { readonly ok: false; readonly reason: DropReason };

/**
 * `expectationFor` returns the configuration of the virtual router with that VRID, if any.
 * An advert with auth type `ah` is taken as authenticated: only decodeIpv4AdvertPacket yields
 * those, after verifying the AH ICV (a bare decodeAdvert result is not enough).
 */
export function validateAdvert(advert: Advert, expectationFor: (vrid: number) => AdvertExpectation | undefined): ValidationResult {
  const expected = expectationFor(advert.vrid);
  if (expected === undefined) return { ok: false, reason: 'unknown-vrid' };
  if (advert.version !== expected.version) return { ok: false, reason: 'version-mismatch' };
  if (advert.version === 2) {
    if (advert.authType !== (expected.authType ?? 'none')) return { ok: false, reason: 'auth-type-mismatch' };
    if (advert.authType === 'pass' && !samePassword(advert.authData, expected.password ?? '')) return { ok: false, reason: 'auth-mismatch' };
    if (expected.advertIntervalSeconds !== undefined && advert.advertIntervalSeconds !== expected.advertIntervalSeconds) {
      return { ok: false, reason: 'interval-mismatch' };
    }
  }
  const addressMismatch = compareAddresses(advert.addresses, expected.addresses);
  if (addressMismatch === undefined) return { ok: true };
  if (expected.dropOnAddressMismatch) return { ok: false, reason: addressMismatch };
  return { ok: true, addressMismatch };
}

function samePassword(received: Uint8Array, password: string): boolean {
  return received.length === VRRP_AUTH_DATA_LENGTH && timingSafeEqual(received, passwordAuthData(password));
}

/** Sets of configured address lists longer than SCAN_LIMIT, made once per list (a backup checks every advert). */
const configuredSets = new WeakMap<readonly string[], ReadonlySet<string>>();
/** Up to this many addresses a scan is cheaper than a set (a new Set per advert was most of the cost). */
const SCAN_LIMIT = 16;

function compareAddresses(received: readonly string[], configured: readonly string[]): AddressMismatch | undefined {
  if (received.length !== configured.length) return 'address-count-mismatch';
  if (configured.length <= SCAN_LIMIT) {
    for (const address of received) if (!configured.includes(address)) return 'address-list-mismatch';
    return undefined;
  }
  let wanted = configuredSets.get(configured);
  if (wanted === undefined) {
    wanted = new Set(configured);
    configuredSets.set(configured, wanted);
  }
  for (const address of received) if (!wanted.has(address)) return 'address-list-mismatch';
  return undefined;
}
