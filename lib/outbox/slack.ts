import type { OutboxMessage } from "@/drizzle/schema/booking";

/**
 * Slack-compatible incoming-webhook bodies ({text, blocks}; Mattermost and Rocket.Chat accept them too). Chosen per
 * URL: a hooks.slack.com URL, or any URL ending in "#slack" (the fragment is never sent); or for every webhook URL
 * with OUTBOX_WEBHOOK_FORMAT=slack.
 */

export function isSlackUrl(url: string, defaultFormat: "json" | "slack"): boolean {
  try {
    const u = new URL(url);
    if (u.hash === "#json") return false;
    return u.hostname === "hooks.slack.com" || u.hash === "#slack" || defaultFormat === "slack";
  } catch {
    return false;
  }
}

/** Slack limits: header text 150 characters, section text 3000. */
export function slackPayload(m: Pick<OutboxMessage, "id" | "topic" | "subject" | "body" | "companyId">): {
  text: string;
  blocks: Record<string, unknown>[];
} {
  return {
    text: m.subject,
    blocks: [
      { type: "header", text: { type: "plain_text", text: m.subject.slice(0, 150), emoji: false } },
      { type: "section", text: { type: "mrkdwn", text: m.body.slice(0, 2900) || "(no text)" } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `${m.topic} · notification #${m.id}${m.companyId ? ` · company ${m.companyId}` : ""}`,
          },
        ],
      },
    ],
  };
}
