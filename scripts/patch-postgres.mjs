// postinstall: guard postgres.js 3.4.x against a write on a closed connection (porsager/postgres#1208, fix proposed
// in #1209, unreleased). A small write is flushed on setImmediate; when the connection closed in between (a database
// outage while a transaction holds it, e.g. its ROLLBACK), nextWrite dereferences a null socket from a timer and the
// uncaught TypeError takes the whole server down. The guard rejects that query with CONNECTION_CLOSED instead, and
// teardown forgets a pending flush so a reconnected connection can write again. Idempotent; files are replaced (not
// edited in place) so a hard-linked node_modules elsewhere is left alone.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";

const MARK = "/* calcom-diag: guarded nextWrite */";
const root = path.join(process.cwd(), "node_modules", "postgres");
let patched = 0;
for (const file of ["src/connection.js", "cjs/src/connection.js", "cf/src/connection.js"]) {
  const full = path.join(root, file);
  if (!existsSync(full)) continue;
  const text = readFileSync(full, "utf8");
  if (text.includes(MARK)) continue;
  const guard = `function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n      return false\n    }\n`;
  let next = text.replace("function nextWrite(fn) {\n", guard);
  next = next.replaceAll(
    "clearImmediate(nextWriteTimer)\n    if (socket) {",
    "clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {",
  );
  next = next.replace(
    "clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)",
    "clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)",
  );
  if (next === text || !next.includes(MARK)) {
    console.warn(`[patch-postgres] ${file}: unexpected source, not patched`);
    continue;
  }
  const tmp = `${full}.tmp-${process.pid}`;
  writeFileSync(tmp, next);
  renameSync(tmp, full);
  patched++;
}
if (patched) console.log(`[patch-postgres] guarded nextWrite in ${patched} file(s)`);
