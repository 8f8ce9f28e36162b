// Option value parsers shared by the command definitions: a bad value is a usage error (exit 2)
// with a message in plain words, raised while the arguments are parsed.
import { InvalidArgumentError } from 'commander';

/** A whole number of at least `min` ("--hosts must be a whole number of at least 1, not "x""). */
export function count(flag: string, min = 0) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${flag} must be a whole number of at least ${min}, not "${v}"`);
    return n;
  };
}
