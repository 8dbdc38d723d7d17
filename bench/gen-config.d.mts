// Types for gen-config.mjs, so TypeScript tests can generate the same configs as the benchmark.
export function generateConfig(options?: { instances?: number; virtualServers?: number; realServers?: number }): string;
