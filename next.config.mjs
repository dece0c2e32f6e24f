/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships wasm/data files; bundling it copies them into public static output.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg-boss", "proper-lockfile"],
  poweredByHeader: false,
};
export default nextConfig;
