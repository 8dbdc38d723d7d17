// How ipvsadm writes a service or a destination in one word ('TCP 10.0.0.1:80', 'FWM 5',
// '[2001:db8::1]:443'): shared by error messages and the list/save formatters.
import { isFwmarkService, type AddressFamily, type ServiceKey } from './types.js';

export function hostPort(family: AddressFamily, address: string, port: number | string): string {
  return family === 'inet6' ? `[${address}]:${port}` : `${address}:${port}`;
}

export function describeService(key: ServiceKey): string {
  if (isFwmarkService(key)) return `FWM ${key.fwmark}${key.family === 'inet6' ? ' IPv6' : ''}`;
  return `${key.protocol.toUpperCase()} ${hostPort(key.family, key.address, key.port)}`;
}
