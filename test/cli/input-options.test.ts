// The options that say how inputs are read mean the same on every command that reads inputs:
// one definition (commands/input-options.ts), so flag, argument and help text are identical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Command } from 'commander';
import { huntCommand } from '../../src/cli/commands/hunt.ts';
import { publishCommand } from '../../src/cli/commands/publish.ts';
import { serveCommand } from '../../src/cli/commands/serve.ts';
import { watchCommand } from '../../src/cli/commands/watch.ts';
import { EXIT } from '../../src/cli/exit.ts';

const ctx = { stdout: process.stdout, stderr: process.stderr, exitCode: EXIT.ok };
const shape = (c: Command, long: string) => {
  const o = c.options.find((x) => x.long === long);
  return o && { flags: o.flags, description: o.description };
};

test('--config, --format, --host, --internal and --catalog are one definition', () => {
  const [hunt, watch, serve, publish] = [huntCommand, watchCommand, serveCommand, publishCommand].map((m) =>
    m(ctx),
  );
  for (const long of ['--config', '--format', '--host', '--internal', '--catalog']) {
    const expected = shape(hunt, long);
    assert.ok(expected, long);
    assert.deepEqual(shape(watch, long), expected, `watch ${long}`);
    assert.deepEqual(shape(serve, long), expected, `serve ${long}`);
  }
  // publish only reads; the workers judge (their own config, catalogue and networks).
  for (const long of ['--config', '--format', '--host'])
    assert.deepEqual(shape(publish, long), shape(hunt, long));
  assert.ok(shape(serve, '--listen'), 'serve binds with --listen');
});
