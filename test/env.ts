import { afterEach, beforeEach } from "vitest";
import { resetEnvCache } from "@/lib/config/env";

type EnvValues<K extends string> = Partial<Record<K, string | undefined>>;

function applyEnv(values: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  // getEnv() parses once; the next call must see the change.
  resetEnvCache();
}

/**
 * For a test file whose tests change configuration: the named variables are put back after each test as they were
 * before it. Returns the setter for them (undefined unsets a variable), so a test can only change what is put
 * back.
 */
export function withEnvRestored<const K extends string>(names: readonly K[]): (values: EnvValues<K>) => void {
  let saved: EnvValues<K> = {};
  // Saved before each test rather than once: the file's beforeAll (getTestDb) sets defaults first.
  beforeEach(() => {
    saved = Object.fromEntries(names.map((name) => [name, process.env[name]])) as EnvValues<K>;
  });
  afterEach(() => applyEnv(saved));
  return applyEnv;
}
