import { describe, expect, it } from "vitest";
import { isSlackUrl, slackPayload } from "./slack";

describe("Slack-compatible webhook format", () => {
  it("is chosen by hooks.slack.com, a #slack suffix or the default, and refused by #json", () => {
    expect(isSlackUrl("https://hooks.slack.com/services/T/B/x", "json")).toBe(true);
    expect(isSlackUrl("https://chat.example.com/hooks/abc#slack", "json")).toBe(true);
    expect(isSlackUrl("https://example.com/notify", "json")).toBe(false);
    expect(isSlackUrl("https://example.com/notify", "slack")).toBe(true);
    expect(isSlackUrl("https://example.com/notify#json", "slack")).toBe(false);
    expect(isSlackUrl("not a url", "slack")).toBe(false);
  });

  it("builds {text, blocks} within Slack's limits", () => {
    const p = slackPayload({
      id: 7,
      topic: "alert.opened",
      subject: "S".repeat(200),
      body: "B".repeat(5000),
      companyId: 2,
    });
    expect(p.text).toHaveLength(200);
    expect(p.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "S".repeat(150), emoji: false } },
      { type: "section", text: { type: "mrkdwn", text: "B".repeat(2900) } },
      { type: "context", elements: [{ type: "mrkdwn", text: "alert.opened · notification #7 · company 2" }] },
    ]);
  });
});
