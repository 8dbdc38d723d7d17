// The netlink layer: framing, attributes, request/event sockets, generic netlink and rtnetlink.
export * from './decode.js';
export * from './errors.js';
export * from './message.js';
export * from './attributes.js';
export * from './struct.js';
export * from './socket.js';
export * from './genl.js';
export * from './route/index.js';
