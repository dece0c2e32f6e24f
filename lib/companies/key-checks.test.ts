import { describe, expect, it } from "vitest";
import { checkApiKeyFormat, checkApiUrl } from "./key-checks";

describe("checkApiKeyFormat", () => {
  it("rejects a pasted Bearer prefix", () => {
    const [finding] = checkApiKeyFormat("Bearer cal_live_abc", { isProduction: true });
    expect(finding).toMatchObject({ level: "error", message: expect.stringContaining("Bearer") });
  });
  it("rejects keys without the cal_ prefix", () => {
    expect(checkApiKeyFormat("sk_live_123", { isProduction: false })[0]?.level).toBe("error");
  });
  it("warns about a test key in production only", () => {
    expect(checkApiKeyFormat("cal_test_123", { isProduction: true })).toEqual([
      // Only what the contract backs (§1): the docs' naming, no claim about what a test key can reach.
      {
        level: "warning",
        field: "apiKey",
        message:
          "This key does not start with cal_live_: Cal.com's docs call such keys test keys. Make sure it is the key of the production account you mean.",
      },
    ]);
    expect(checkApiKeyFormat("cal_test_123", { isProduction: false })).toEqual([]);
  });
  it("accepts a live key", () => {
    expect(checkApiKeyFormat("cal_live_0123456789abcdef", { isProduction: true })).toEqual([]);
  });
});

describe("checkApiUrl", () => {
  it("warns about staging", () => {
    expect(checkApiUrl("https://api.cal.com/staging/v2")[0]).toMatchObject({ level: "warning" });
  });
  it("requires https except on loopback", () => {
    expect(checkApiUrl("http://api.cal.com/v2")[0]?.level).toBe("error");
    expect(checkApiUrl("http://127.0.0.1:4010/v2")).toEqual([]);
  });
  it("rejects garbage", () => {
    expect(checkApiUrl("not a url")[0]?.level).toBe("error");
  });
});
