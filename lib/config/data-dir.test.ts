import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getDataDir } from "./data-dir";
import { loadOrCreateDemoSecrets, loadOrCreateSecretFile } from "./demo-secrets";

// .data holds the encryption key, the generated login and tokens: only its owner may read it.
const mode = (p: string) => statSync(p).mode & 0o777;
let root: string;

afterEach(() => {
  delete process.env.DATA_DIR;
  rmSync(root, { recursive: true, force: true });
});

function useDataDir(): string {
  root = mkdtempSync(path.join(tmpdir(), "datadir-"));
  process.env.DATA_DIR = path.join(root, ".data");
  return process.env.DATA_DIR;
}

describe(".data permissions", () => {
  it("creates the directory 0700 and its secret files 0600", () => {
    const dir = useDataDir();
    expect(getDataDir()).toBe(dir);
    expect(mode(dir)).toBe(0o700);
    loadOrCreateDemoSecrets();
    const token = loadOrCreateSecretFile("sandbox-control-token");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mode(path.join(dir, "demo-secrets.json"))).toBe(0o600);
    expect(mode(path.join(dir, "sandbox-control-token"))).toBe(0o600);
    // Created once: every later read gets the same token.
    expect(loadOrCreateSecretFile("sandbox-control-token")).toBe(token);
  });

  it("tightens a directory and a secret file an older version left open", () => {
    const dir = useDataDir();
    getDataDir();
    chmodSync(dir, 0o755);
    writeFileSync(path.join(dir, "sandbox-control-token"), "old-token-old-token-old-token-0001\n", { mode: 0o644 });
    chmodSync(path.join(dir, "sandbox-control-token"), 0o644);
    expect(loadOrCreateSecretFile("sandbox-control-token")).toBe("old-token-old-token-old-token-0001");
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.join(dir, "sandbox-control-token"))).toBe(0o600);
  });
});
