import { chmodSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Where embedded state lives (PGlite, generated demo secrets, the printed login). Created 0700, and tightened to 0700
 * if an older version created it readable by others: it holds the encryption key and the admin password.
 */
export function getDataDir(): string {
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? path.join(process.cwd(), ".data"));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) {
    try {
      chmodSync(dir, 0o700);
    } catch {
      // Not ours to change (a directory the operator manages): leave it as it is.
    }
  }
  return dir;
}
