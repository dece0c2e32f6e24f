import { describe, expect, it } from "vitest";
import { z } from "zod";
import { toErrorResponse } from "./errors";

describe("toErrorResponse for invalid input", () => {
  it("names each field and its rule in the message", () => {
    const schema = z.object({
      silenceThresholdMinutes: z.number().int().min(5).max(43_200),
      payloadRetentionDays: z.number().int().min(1),
    });
    const result = schema.safeParse({ silenceThresholdMinutes: 2, payloadRetentionDays: 0 });
    expect(result.success).toBe(false);
    const { status, body } = toErrorResponse(result.error, "test");
    expect(status).toBe(400);
    expect(body.error.message).toBe(
      "silenceThresholdMinutes: Too small: expected number to be >=5; payloadRetentionDays: Too small: expected number to be >=1",
    );
  });
});
