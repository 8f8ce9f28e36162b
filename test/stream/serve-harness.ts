// Runs `serve()` in-process on a free port with the default config and the built-in catalogue,
// keeping the latest revision of every finding it emits, as a stream client would see it.
import { builtinCatalog } from '../../src/catalog/index.ts';
import type { Finding } from '../../src/model/finding.ts';
import { type RunningServer, SERVE_DEFAULTS, serve } from '../../src/stream/serve.ts';
import { defaultConfig } from './watch-harness.ts';

export type ServeOptions = Parameters<typeof serve>[0];

export async function serveCollecting(
  extra: Partial<ServeOptions> = {},
): Promise<{ srv: RunningServer; latest: Map<string, Finding> }> {
  const latest = new Map<string, Finding>();
  const srv = await serve({
    ...SERVE_DEFAULTS,
    config: defaultConfig(),
    catalog: builtinCatalog(),
    port: 0,
    ...extra,
    onFinding(f) {
      latest.set(f.id, f);
    },
  });
  return { srv, latest };
}
