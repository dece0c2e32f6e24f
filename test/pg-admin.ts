import postgres from "postgres";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/** The server tests create their databases on: TEST_DATABASE_URL, default the local PostgreSQL. Never a remote one. */
export function adminUrl(): URL {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  if (!LOCAL_HOSTS.has(url.hostname)) {
    throw new Error(
      `Tests refuse to run against a non-local database host (${url.hostname}). Point TEST_DATABASE_URL at a local server.`,
    );
  }
  return url;
}

export async function createDatabase(prefix: string): Promise<string> {
  const admin = adminUrl();
  const name = `${prefix}_${Date.now()}_${process.pid}`.toLowerCase();
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create database "${name}"`);
  } finally {
    await sql.end();
  }
  const url = new URL(admin.toString());
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const sql = postgres(adminUrl().toString(), { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await sql.end();
  }
}
