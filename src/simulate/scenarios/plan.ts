// Which scenario goes on which host, when: a deterministic schedule over the fleet. Every kind
// gets its share; each scenario gets a host of a platform its tool runs on, at most one
// scenario per host per day, during working hours (evasive ones also at night).
import type { SimHost, SimPlatform } from '../model.ts';
import { createRng } from '../rng.ts';
import type { ScenarioKind } from '../truth.ts';
import type { ScenarioPlan } from './inject.ts';
import { SIM_TOOLS } from './tools.ts';

const COMMERCIAL = SIM_TOOLS.filter((t) => t.kind === 'commercial').map((t) => t.id);
const RENAMEABLE = ['anydesk', 'rustdesk', 'netsupport', 'screenconnect'];
const TUNNELS = ['ngrok', 'cloudflared'];

/** Kind, its weight in the mix, which tools it uses, whether it needs a support host. */
const KINDS: Array<{
  kind: ScenarioKind;
  weight: number;
  tools: string[];
  support?: boolean;
  windowsOnly?: boolean;
}> = [
  { kind: 'rmm-full', weight: 4, tools: COMMERCIAL },
  { kind: 'rmm-portable', weight: 3, tools: COMMERCIAL },
  { kind: 'rmm-renamed', weight: 2, tools: RENAMEABLE },
  { kind: 'rmm-session-only', weight: 2, tools: COMMERCIAL },
  { kind: 'tunnel', weight: 2, tools: TUNNELS },
  { kind: 'custom-rat', weight: 3, tools: ['custom'] },
  { kind: 'custom-rat-portable', weight: 2, tools: ['custom'] },
  { kind: 'spread-beyond-window', weight: 2, tools: [...COMMERCIAL, 'custom'] },
  { kind: 'approved-helpdesk', weight: 2, tools: ['teamviewer'], support: true, windowsOnly: true },
  { kind: 'approved-misuse', weight: 1, tools: ['teamviewer'], support: true, windowsOnly: true },
];

export function planScenarios(
  hosts: SimHost[],
  o: { seed: number; start: number; days: number; count: number; kinds?: ScenarioKind[] },
): ScenarioPlan[] {
  const rng = createRng(o.seed, 'plan');
  const kinds = o.kinds ? KINDS.filter((k) => o.kinds!.includes(k.kind)) : KINDS;
  const wheel: typeof KINDS = [];
  // Round-robin by weight, so even a small fleet gets one of every kind first.
  const rounds = Math.max(...kinds.map((k) => k.weight));
  for (let r = 0; r < rounds; r++) for (const k of kinds) if (k.weight > r) wheel.push(k);
  const busy = new Set<string>();
  const plans: ScenarioPlan[] = [];
  for (let n = 0; n < o.count && wheel.length; n++) {
    const k = wheel[n % wheel.length];
    const candidates = hosts.filter(
      (h) => (k.support ? h.support : !h.support) && (!k.windowsOnly || h.platform === 'windows'),
    );
    for (let attempt = 0; attempt < 20 && candidates.length; attempt++) {
      const host = rng.pick(candidates);
      const tools = k.tools.filter(
        (id) => SIM_TOOLS.find((t) => t.id === id)!.on[host.platform as SimPlatform],
      );
      if (!tools.length) continue;
      const day = rng.int(0, o.days - 1);
      const key = `${host.index}/${day}`;
      if (busy.has(key)) continue;
      busy.add(key);
      const night = k.kind === 'custom-rat' && rng.chance(0.3);
      const hour = night ? rng.int(0, 4) : rng.int(8, 16);
      plans.push({
        id: `S${String(plans.length + 1).padStart(4, '0')}`,
        kind: k.kind,
        tool: rng.pick(tools),
        hostIndex: host.index,
        start: o.start + day * 86_400_000 + hour * 3_600_000 + rng.int(0, 3599) * 1000,
      });
      break;
    }
  }
  return plans.sort((a, b) => a.start - b.start);
}
