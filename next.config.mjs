/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships wasm/data files; bundling it copies them into public static output.
  // undici: the outbound URL policy's own HTTP agent (lib/net/outbound-fetch.ts), loaded as Node loads it in tests.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "@electric-sql/pglite-socket",
    "pg-boss",
    "proper-lockfile",
    "undici",
  ],
  poweredByHeader: false,
  // Separate builds in one checkout (parallel e2e runs): NEXT_DIST_DIR=.next-other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // npm test type-checks the whole tree first; E2E_SKIP_TYPECHECK=1 lets a focused e2e run skip the repeat.
  typescript: { ignoreBuildErrors: process.env.E2E_SKIP_TYPECHECK === "1" },
};
export default nextConfig;
