// `ratchain serve`'s defaults, apart from the server so the command line can show them without
// loading it.
export const SERVE_DEFAULTS = {
  host: '127.0.0.1',
  port: 8089,
  maxBodyBytes: 16 * 1024 * 1024,
  maxConcurrentIngests: 8,
  requestTimeoutMs: 30_000,
  uploadTimeoutMs: 10_000,
  reorderMs: 5_000,
  idleFlushMs: 1_000,
  storeCapacity: 10_000,
  sseMaxBufferedBytes: 1024 * 1024,
  sseMaxClients: 64,
  heartbeatMs: 15_000,
} as const;
