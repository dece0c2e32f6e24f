import { describe, expect, it } from "vitest";
import { assessSubscriptions, REQUIRED_TRIGGERS } from "./subscription";

const ours = {
  id: 1,
  subscriberUrl: "https://diag.example.com/api/webhooks/calcom/friseur",
  active: true,
  triggers: [...REQUIRED_TRIGGERS],
  secret: "whsec_1",
  payloadTemplate: null,
};
const ctx: { slug: string; appUrl?: string; secrets: string[] } = {
  slug: "friseur",
  appUrl: "https://diag.example.com",
  secrets: ["whsec_1"],
};

describe("assessSubscriptions", () => {
  it("accepts our URL (pinned or shared) with the triggers, a known secret and no template", () => {
    expect(assessSubscriptions([ours], ctx).issues).toEqual([]);
    expect(
      assessSubscriptions([{ ...ours, subscriberUrl: "https://diag.example.com/api/webhooks/calcom/" }], ctx).issues,
    ).toEqual([]);
  });

  it("reports each kind of drift", () => {
    const codes = (list: Parameters<typeof assessSubscriptions>[0], c = ctx) =>
      assessSubscriptions(list, c).issues.map((i) => i.code);
    expect(codes([])).toEqual(["no_subscription"]);
    expect(codes([{ ...ours, subscriberUrl: "https://other.example.com/api/webhooks/calcom/friseur" }])).toEqual([
      "no_subscription",
    ]);
    expect(codes([{ ...ours, subscriberUrl: "https://diag.example.com/api/webhooks/calcom/praxis" }])).toEqual([
      "no_subscription",
    ]);
    expect(codes([{ ...ours, active: false }])).toEqual(["inactive"]);
    expect(codes([{ ...ours, triggers: ["BOOKING_CREATED"] }])).toEqual(["missing_triggers"]);
    expect(codes([{ ...ours, secret: null }])).toEqual(["no_secret"]);
    expect(codes([{ ...ours, secret: "whsec_2" }])).toEqual(["unknown_secret"]);
    expect(codes([{ ...ours, payloadTemplate: '{"uid":"{{uid}}"}' }])).toEqual(["payload_template"]);
    // Without APP_URL only the path is compared.
    expect(
      codes([{ ...ours, subscriberUrl: "http://10.0.0.5:3000/api/webhooks/calcom/friseur" }], {
        ...ctx,
        appUrl: undefined,
      }),
    ).toEqual([]);
  });

  it("judges the active one of several subscriptions to us", () => {
    expect(assessSubscriptions([{ ...ours, id: 2, active: false, secret: null }, ours], ctx).issues).toEqual([]);
  });
});
