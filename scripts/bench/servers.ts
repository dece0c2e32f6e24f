import { spawn, type ChildProcess } from "node:child_process";
import postgres from "postgres";
import { resetEnvCache } from "@/lib/config/env";
import { encryptSecret } from "@/lib/crypto/secret-box";
import { ensureBuild } from "../ensure-build";
import { createDatabase } from "../../test/pg-admin";

/** Processes and data for the ingest benchmark: the built app under `next start`, the bare receiver, a seeded company. */

export const BENCH_KEY = Buffer.alloc(32, 9).toString("base64");
export const BENCH_AUTH_SECRET = "bench-auth-secret-bench-auth-secret-0001";

export type Proc = { child: ChildProcess; stop: () => Promise<void> };

function spawnLogged(
  cmd: string,
  args: string[],
  env: Record<string, string | undefined>,
  label: string,
): ChildProcess {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    if (/error|warn/i.test(text)) process.stderr.write(`[${label}] ${text}`);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return child;
}

const stopper = (child: ChildProcess) => async () => {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await Promise.race([new Promise((r) => child.once("exit", r)), new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
};

export async function waitForHttp(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** `next build` into distDir unless that build is newer than every source (the rule e2e uses, scripts/ensure-build.ts). */
export function ensureBenchBuild(distDir: string): void {
  const env = { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" };
  if (ensureBuild(env, { inherit: true }).status !== 0) throw new Error(`next build into ${distDir} failed`);
}

export async function startApp(opts: {
  port: number;
  databaseUrl: string;
  distDir: string;
  cpuProfDir?: string;
  extraEnv?: Record<string, string>;
}): Promise<Proc> {
  const nodeOptions = opts.cpuProfDir ? `--cpu-prof --cpu-prof-dir=${opts.cpuProfDir}` : "";
  const child = spawnLogged(
    "node",
    [
      ...(nodeOptions ? nodeOptions.split(" ") : []),
      "node_modules/next/dist/bin/next",
      "start",
      "-p",
      String(opts.port),
      "-H",
      "127.0.0.1",
    ],
    {
      DATABASE_URL: opts.databaseUrl,
      BENCH_ROUTES: "true",
      APP_ENCRYPTION_KEY: BENCH_KEY,
      AUTH_SECRET: BENCH_AUTH_SECRET,
      NEXT_DIST_DIR: opts.distDir,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // The runner itself works with JOB_WORKERS=off (scripts/bench.ts); the app under test has its workers on.
      JOB_WORKERS: "on",
      ...opts.extraEnv,
    },
    "app",
  );
  // A server left on the port by an interrupted run would answer the health check: the child must still be running.
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code) =>
      reject(new Error(`the app exited (${code}) before it answered; is port ${opts.port} taken?`)),
    ),
  );
  await Promise.race([waitForHttp(`http://127.0.0.1:${opts.port}/api/health`), exited]);
  return { child, stop: stopper(child) };
}

export async function startBare(opts: {
  port: number;
  databaseUrl: string;
  secret: string;
  companyId: number;
}): Promise<Proc> {
  const child = spawnLogged(
    "node",
    ["--import", "tsx", "scripts/bench/bare-receiver.ts"],
    {
      BARE_PORT: String(opts.port),
      DATABASE_URL: opts.databaseUrl,
      BARE_SECRET: opts.secret,
      BARE_COMPANY_ID: String(opts.companyId),
    },
    "bare",
  );
  // The bare receiver has no health route: any answer means it listens.
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await fetch(`http://127.0.0.1:${opts.port}/`, { method: "POST", body: "{}" });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error("bare receiver did not start");
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { child, stop: stopper(child) };
}

export type BenchCompany = { companyId: number; slug: string; secret: string; eventTypeId: number };

/** A company with a webhook secret and a service for the event type the load uses (the app must have migrated). */
export async function seedCompany(sql: postgres.Sql): Promise<BenchCompany> {
  process.env.APP_ENCRYPTION_KEY = BENCH_KEY;
  process.env.AUTH_SECRET = BENCH_AUTH_SECRET;
  resetEnvCache(); // the secret below is encrypted with the key the app gets, whatever this process read before
  const slug = `bench-ingest-${Date.now()}`;
  const secret = `whsec_bench_${Date.now()}`;
  const eventTypeId = 4_242_001;
  const [company] = await sql<
    { id: number }[]
  >`insert into companies (name, slug) values (${slug}, ${slug}) returning id`;
  const companyId = company!.id;
  await sql`insert into company_webhook_secrets (company_id, label, secret_enc, secret_last4) values (${companyId}, 'bench', ${encryptSecret(secret)}, ${secret.slice(-4)})`;
  await sql`insert into services (company_id, name, calcom_event_type_id, duration_minutes) values (${companyId}, 'Haarschnitt', ${eventTypeId}, 30)`;
  return { companyId, slug, secret, eventTypeId };
}

/**
 * A backlog of signed BOOKING_CREATED deliveries, inserted directly as the receiver would have stored them (pending,
 * verified, with body, hash and dedupe key), in one statement so the drain starts from the whole backlog at once.
 */
export async function seedBacklog(sql: postgres.Sql, co: BenchCompany, count: number): Promise<void> {
  await sql`
    insert into webhook_deliveries (received_at, company_id, route_slug, content_type, headers, body, body_bytes, body_sha256,
      verdict, verdict_detail, verification, response_status, trigger_event, booking_uid, booking_id, payload_created_at, dedupe_key, status)
    select now(), ${co.companyId}::int, ${co.slug}::text, 'application/json', '{"content-type":"application/json"}'::jsonb, b.body, octet_length(b.body),
      encode(sha256(convert_to(b.body, 'UTF8')), 'hex'), 'verified', 'Signature matches secret "bench" (seeded)', '{"seeded":true}'::jsonb, 200,
      'BOOKING_CREATED', b.uid, b.n, b.created, encode(sha256(convert_to(b.uid || b.created, 'UTF8')), 'hex'), 'pending'
    from (
      select n, 'backlog-' || n || '-' || ${String(Date.now())}::text as uid, to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as created,
        json_build_object('triggerEvent', 'BOOKING_CREATED', 'createdAt', now(), 'payload', json_build_object(
          'uid', 'backlog-' || n || '-' || ${String(Date.now())}::text, 'bookingId', n, 'eventTypeId', ${co.eventTypeId}::int, 'status', 'ACCEPTED', 'length', 30,
          'title', 'Herrenhaarschnitt between Anna and Kunde', 'type', 'herrenhaarschnitt',
          'startTime', to_char(timestamp '2052-01-01' + n * interval '30 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'endTime', to_char(timestamp '2052-01-01' + n * interval '30 minutes' + interval '30 minutes', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          'organizer', json_build_object('id', 1, 'name', 'Anna', 'email', 'anna@example.com', 'timeZone', 'Europe/Berlin'),
          'attendees', json_build_array(json_build_object('name', 'Kunde', 'email', 'kunde' || n || '@example.com', 'timeZone', 'Europe/Berlin')),
          'responses', json_build_object('notes', json_build_object('label', 'notes', 'value', repeat('Bitte Waschen und Schneiden. ', 60))),
          'metadata', '{}'::json))::text as body
      from generate_series(1, ${count}::int) as n
    ) b`;
}

export async function pendingCount(sql: postgres.Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where status = 'pending'`;
  return row?.n ?? 0;
}

/** Waits until no delivery is pending (or the timeout passes); returns how long that took. */
export async function waitDrained(sql: postgres.Sql, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await pendingCount(sql)) === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return performance.now() - started;
}

/** A scratch database for an in-process tool (process-only.ts, receive-only.ts), with the app's environment set for it. */
export async function openScratchDatabase(prefix: string): Promise<string> {
  const url = await createDatabase(prefix);
  process.env.DATABASE_URL = url;
  process.env.APP_ENCRYPTION_KEY = BENCH_KEY;
  process.env.AUTH_SECRET = BENCH_AUTH_SECRET;
  return url;
}
