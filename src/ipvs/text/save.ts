// `ipvsadm -S` text: one `-A` line per service followed by one `-a` line per destination, in
// ipvsadm 1.31's order and option spelling, so `ipvsadm -R` (and our restore) read it back.
import { defaultNetmask, isFwmarkService, type DestinationState, type ServiceEntry, type ServiceState } from '../types.js';
import { hostPort } from '../notation.js';
import { netmaskText, schedulerFlagNames } from './list.js';
import { numericPorts, type PortNamer } from './names.js';
import { sortTable } from './order.js';

const PROTOCOL_OPTION = { tcp: '-t', udp: '-u', sctp: '--sctp-service' } as const;
const FORWARDING_OPTION = { masq: '-m', local: '-g', tunnel: '-i', route: '-g', bypass: '-g' } as const;
const CHECKSUM_OPTION = ['--tun-nocsum', '--tun-csum', '--tun-remcsum'] as const;

/** "-t 10.0.0.1:80", "-f 5", "-f 6 -6". */
function serviceSpec(service: ServiceState, names: PortNamer): string {
  if (isFwmarkService(service)) return `-f ${service.fwmark | 0}${service.family === 'inet6' ? ' -6' : ''}`;
  return `${PROTOCOL_OPTION[service.protocol]} ${hostPort(service.family, service.address, names(service.port, service.protocol))}`;
}

function serviceLine(service: ServiceState, names: PortNamer): string {
  let line = `-A ${serviceSpec(service, names)} -s ${service.scheduler}`;
  if (service.persistence !== null) {
    line += ` -p ${service.persistence}`;
    if (service.netmask !== defaultNetmask(service.family)) line += ` -M ${netmaskText(service)}`;
  }
  if (service.persistenceEngine) line += ` --pe ${service.persistenceEngine}`;
  if (service.onePacket) line += ' -o';
  if (service.schedulerFlags.length > 0) line += ` -b ${schedulerFlagNames(service).join(',')}`;
  return line;
}

function destinationLine(service: ServiceState, destination: DestinationState, names: PortNamer): string {
  const protocol = isFwmarkService(service) ? 'tcp' : service.protocol;
  let line = `-a ${serviceSpec(service, names)} -r ${hostPort(destination.family, destination.address, names(destination.port, protocol))}`;
  line += ` ${FORWARDING_OPTION[destination.forwarding]} -w ${destination.weight}`;
  if (destination.forwarding === 'tunnel') {
    line += ` --tun-type ${destination.tunnelType}`;
    if (destination.tunnelType === 'gue') line += ` --tun-port ${destination.tunnelPort}`;
    if (destination.tunnelType !== 'ipip') line += ` ${CHECKSUM_OPTION[destination.tunnelFlags & 0x3] ?? CHECKSUM_OPTION[0]}`;
  }
  return line;
}

export function formatSave(table: readonly ServiceEntry[], portNames: PortNamer = numericPorts): string {
  let out = '';
  for (const { service, destinations } of sortTable(table)) {
    out += `${serviceLine(service, portNames)}\n`;
    for (const destination of destinations) out += `${destinationLine(service, destination, portNames)}\n`;
  }
  return out;
}
