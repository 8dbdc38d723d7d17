// The system-interface layer: sockets and constants the rest of the product builds on.
export * from './constants.js';
export * from './errors.js';
export * from './sockaddr.js';
export * from './socket.js';
export * from './interfaces.js';
export type { ReceivedMessage, ControlMessage } from './native.js';
