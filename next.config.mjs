/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships wasm/data files; bundling it copies them into public static output.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg-boss", "proper-lockfile"],
  poweredByHeader: false,
  // Separate builds in one checkout (parallel e2e runs): NEXT_DIST_DIR=.next-other.
  distDir: process.env.NEXT_DIST_DIR || ".next",
};
export default nextConfig;
