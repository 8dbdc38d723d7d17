// SSL { }: the client TLS context SSL_GET uses.
import { type BlockTable, parsed, str } from './types.js';

export const SSL: BlockTable = {
  name: 'SSL',
  header: 'SSL',
  keywords: [
    parsed('password', str(), 'Password of the private key'),
    parsed('ca', str(), 'CA certificate file'),
    parsed('certificate', str(), 'Client certificate file'),
    parsed('key', str(), 'Private key file'),
  ],
};
