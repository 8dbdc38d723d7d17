// authentication { } (VRRPv2 PASS/AH) and auth_hmac { } inside a vrrp_instance.
import { type BlockTable, int, kw, oneOf, parsed, str, words } from './types.js';

export const AUTHENTICATION: BlockTable = {
  name: 'authentication',
  header: 'authentication',
  keywords: [
    kw('auth_type', oneOf(['PASS', 'AH']), 'PASS (simple text) or AH (IPSEC-AH)'),
    kw('auth_pass', str(), 'Password, first 8 characters used'),
  ],
};

export const AUTH_HMAC: BlockTable = {
  name: 'auth_hmac',
  header: 'auth_hmac',
  keywords: [
    parsed('key', words(2), 'ID hex:...|file:...|STRING', { repeatable: true }),
    parsed('active_key', int(0, 255), 'Key ID used to sign'),
    parsed('anti_replay', oneOf(['time', 'monotonic']), 'Replay protection'),
    parsed('time_window', int(1, 300), 'Freshness window in seconds'),
    parsed('mode', oneOf(['enforce', 'permissive', 'receive-only']), 'Verification mode', { defaultValue: 'enforce' }),
  ],
};
