import { defineConfig } from "drizzle-kit";

// Migrations are generated here and committed; the app applies them at start (lib/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  casing: "snake_case",
  schema: "./drizzle/schema/*.ts",
  out: "./drizzle/migrations",
});
