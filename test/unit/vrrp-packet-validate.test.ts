// Receive checks against the configured virtual router, in keepalived's order.
import { describe, expect, it } from 'vitest';
import { passwordAuthData, type AdvertV2, type AdvertV3 } from '../../src/vrrp/packet.js';
import { validateAdvert, type AdvertExpectation } from '../../src/vrrp/packet-validate.js';

const v2: AdvertV2 = {
  version: 2, family: 'ipv4', vrid: 51, priority: 100, addresses: ['10.99.0.100', '10.99.0.101'],
  advertIntervalSeconds: 1, authType: 'pass', authData: passwordAuthData('lab51'),
};
const v3: AdvertV3 = { version: 3, family: 'ipv6', vrid: 9, priority: 100, addresses: ['fd00::1'], maxAdvertIntervalCentiseconds: 10 };
const configured: AdvertExpectation = { version: 2, addresses: ['10.99.0.101', '10.99.0.100'], authType: 'pass', password: 'lab51', advertIntervalSeconds: 1 };
const only = (expectation: AdvertExpectation, vrid = 51) => (wanted: number) => (wanted === vrid ? expectation : undefined);

describe('validateAdvert', () => {
  it('accepts a matching advert whatever the address order', () => {
    expect(validateAdvert(v2, only(configured))).toEqual({ ok: true });
    expect(validateAdvert(v3, only({ version: 3, addresses: ['fd00::1'] }, 9))).toEqual({ ok: true });
  });

  it('drops an unknown VRID', () => {
    expect(validateAdvert({ ...v2, vrid: 52 }, only(configured))).toEqual({ ok: false, reason: 'unknown-vrid' });
  });

  it('drops the other version', () => {
    expect(validateAdvert(v3, only({ ...configured, version: 2 }, 9))).toEqual({ ok: false, reason: 'version-mismatch' });
  });

  it('drops another auth type, another password, another interval', () => {
    expect(validateAdvert({ ...v2, authType: 'none', authData: Buffer.alloc(8) }, only(configured))).toEqual({ ok: false, reason: 'auth-type-mismatch' });
    expect(validateAdvert({ ...v2, authData: passwordAuthData('lab52') }, only(configured))).toEqual({ ok: false, reason: 'auth-mismatch' });
    expect(validateAdvert(v2, only({ ...configured, advertIntervalSeconds: 2 }))).toEqual({ ok: false, reason: 'interval-mismatch' });
  });

  it('compares only the first 8 password bytes, as they are all that is sent', () => {
    expect(validateAdvert({ ...v2, authData: passwordAuthData('longpassword') }, only({ ...configured, password: 'longpass' }))).toEqual({ ok: true });
  });

  it('reports a differing address list, and drops on it only when asked (vrrp_strict)', () => {
    expect(validateAdvert({ ...v2, addresses: ['10.99.0.100'] }, only(configured))).toEqual({ ok: true, addressMismatch: 'address-count-mismatch' });
    expect(validateAdvert({ ...v2, addresses: ['10.99.0.100', '10.99.0.102'] }, only(configured))).toEqual({ ok: true, addressMismatch: 'address-list-mismatch' });
    expect(validateAdvert({ ...v2, addresses: ['10.99.0.100'] }, only({ ...configured, dropOnAddressMismatch: true }))).toEqual({ ok: false, reason: 'address-count-mismatch' });
  });

  it('compares long address lists as short ones, in any order, checking the same list again', () => {
    const many = Array.from({ length: 40 }, (_, i) => `10.99.1.${i + 1}`);
    const expectation = only({ ...configured, addresses: many });
    for (let round = 0; round < 2; round++) {
      expect(validateAdvert({ ...v2, addresses: [...many].reverse() }, expectation)).toEqual({ ok: true });
      expect(validateAdvert({ ...v2, addresses: [...many.slice(1), '10.99.2.1'] }, expectation)).toEqual({ ok: true, addressMismatch: 'address-list-mismatch' });
      expect(validateAdvert({ ...v2, addresses: many.slice(1) }, expectation)).toEqual({ ok: true, addressMismatch: 'address-count-mismatch' });
    }
  });
});
