import { mkdirSync } from "node:fs";
import path from "node:path";

/** Where embedded state lives (PGlite, generated demo secrets, the printed login). */
export function getDataDir(): string {
  const dir = path.resolve(/*turbopackIgnore: true*/ process.env.DATA_DIR ?? path.join(process.cwd(), ".data"));
  mkdirSync(dir, { recursive: true });
  return dir;
}
