import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase } from "./pg-admin";

/** Integration tests: one fresh database per run, dropped afterwards. Migrations run when the first test opens it. */
export default async function setup(project: TestProject) {
  const url = await createDatabase("calcomdiag_test");
  project.provide("databaseUrl", url);
  return async () => {
    if (!process.env.KEEP_TEST_DB) await dropDatabase(url);
  };
}

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation needs an interface
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
