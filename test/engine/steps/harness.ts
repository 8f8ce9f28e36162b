// Drives one step module with plain events, without the engine around it: a fresh context, the
// host each event names, and the agents the host ends up with.
import { builtinCatalog } from '../../../src/catalog/index.ts';
import { type ConfigInput, configSchema } from '../../../src/config/schema.ts';
import { closeHost } from '../../../src/engine/chain.ts';
import { createContext, type EngineContext, hostFor } from '../../../src/engine/context.ts';
import type { Agent, HostState } from '../../../src/engine/state.ts';
import type { RatEvent } from '../../../src/model/event.ts';

const catalog = builtinCatalog();

export function stepContext(cfg: ConfigInput = {}): EngineContext {
  return createContext(configSchema.parse(cfg), catalog, {}, closeHost);
}

/** Hands each event to `step` with its host, moving the context's clock as the engine would. */
export function feed<E extends RatEvent>(
  ctx: EngineContext,
  events: E[],
  step: (ctx: EngineContext, h: HostState, ev: E) => void,
): void {
  for (const ev of events) {
    if (ev.time > ctx.now) ctx.now = ev.time;
    step(ctx, hostFor(ctx, ev.host, ev.platform), ev);
  }
}

/** The live agents on every host. */
export function agents(ctx: EngineContext): Agent[] {
  return [...ctx.hosts.hosts.values()].flatMap((h) => [...h.agents.values()]);
}

/** The one agent whose images include `image`. */
export function agentWith(ctx: EngineContext, image: string): Agent {
  const found = agents(ctx).filter((a) => a.images.has(image));
  if (found.length !== 1) throw new Error(`${found.length} agents run ${image}`);
  return found[0];
}
