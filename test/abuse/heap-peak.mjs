// Preloaded into a CLI process (node --import) by the abuse suite: samples the V8 heap every
// 20 ms and, at exit, writes the largest heap used (bytes) to $RATCHAIN_HEAP_PEAK_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.RATCHAIN_HEAP_PEAK_FILE;
if (file) {
  let peak = 0;
  const sample = () => {
    const used = process.memoryUsage().heapUsed;
    if (used > peak) peak = used;
  };
  setInterval(sample, 20).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(file, String(peak));
  });
}
