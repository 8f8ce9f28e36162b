// A worker thread of `npm run eval`: writes some formats of the eval's fleet while the main
// thread writes the others (simulate's writeOnly), so generation uses both cores.
import { parentPort, workerData } from 'node:worker_threads';
import { type SimulateOptions, simulate } from '../src/simulate/simulate.ts';

const r = simulate({ ...(workerData as SimulateOptions), metaFiles: false });
parentPort?.postMessage({ files: r.files, events: r.events, bytes: r.bytes });
