// SSL { }: the client TLS context SSL_GET uses.
import { type BlockTable, kw, str } from './types.js';

export const SSL: BlockTable = {
  name: 'SSL',
  header: 'SSL',
  keywords: [
    kw('password', str(), 'Password of the private key'),
    kw('ca', str(), 'CA certificate file'),
    kw('certificate', str(), 'Client certificate file'),
    kw('key', str(), 'Private key file'),
  ],
};
