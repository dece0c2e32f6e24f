import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDbHandle } from "@/lib/db/client";
import { closeDb, getTestDb } from "@/test/db";
import { defineJob, getJob, sendJob, startJobQueue } from "./queue";

describe("job queue (pg-boss on PostgreSQL)", () => {
  afterAll(closeDb);

  it("works a job once, retries a failing one, and refuses bad data before enqueueing", async () => {
    await getTestDb();
    const seen: string[] = [];
    let failures = 0;
    const echo = defineJob({
      name: "test-echo",
      schema: z.object({ value: z.string() }),
      retryDelaySeconds: 1,
      handler: async (data) => {
        seen.push(data.value);
      },
    });
    const flaky = defineJob({
      name: "test-flaky",
      schema: z.object({ value: z.string() }),
      retryLimit: 3,
      retryDelaySeconds: 1,
      handler: async (data) => {
        if (failures++ < 1) throw new Error("first attempt fails");
        seen.push(data.value);
      },
    });
    await startJobQueue([echo, flaky], { workers: true, handle: await getDbHandle() });
    const id = await sendJob(echo, { value: "a" });
    await sendJob(flaky, { value: "b" });
    await expect(sendJob(echo, { value: 1 } as never)).rejects.toThrow(/expected string/);
    const deadline = Date.now() + 20_000;
    while ((!seen.includes("a") || !seen.includes("b")) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(seen.sort()).toEqual(["a", "b"]);
    expect(failures).toBe(2);
    const job = await getJob("test-echo", id!);
    expect(job?.state).toBe("completed");
  });

  it("keeps one queued job per singleton key", async () => {
    const hold = defineJob({
      name: "test-singleton",
      policy: "stately",
      schema: z.object({}),
      handler: async () => {},
    });
    const first = await sendJob(hold, {}, { singletonKey: "company-1", startAfterSeconds: 60 });
    const second = await sendJob(hold, {}, { singletonKey: "company-1", startAfterSeconds: 60 });
    expect(first).toEqual(expect.any(String));
    expect(second).toBeNull();
  });
});
