import { asRole, BASE, expect, test } from "./fixtures";

asRole("operator");

test("faults injected in the sandbox open the circuit; a reset closes it and lands in the audit log", async ({
  page,
}) => {
  // Make every sandbox answer 503.
  await page.goto(`${BASE}/sandbox`);
  await page.getByLabel("Forced status for all").selectOption("503");
  await expect(page.getByLabel("Forced status for all")).toHaveValue("503");

  await page.goto(`${BASE}/circuit`);
  const card = page.locator("section", { has: page.getByRole("heading", { name: "Friseur" }) });
  const state = card.getByTestId(/circuit-state-/);
  await expect(state).toContainText("closed");
  // Each connection test makes two calls (GET /v2/me, team event types); five failures open the circuit.
  for (let i = 0; i < 3; i++) {
    await card.getByRole("button", { name: "Test connection" }).click();
    await expect(card.getByRole("list", { name: "Connection test result" })).toBeVisible();
    await expect(card.getByRole("button", { name: "Test connection" })).toBeEnabled();
  }
  await expect(state).toContainText("open");
  await expect(card.getByRole("list", { name: "Circuit history of Friseur" })).toContainText("consecutive failures");
  await expect(card.getByText(/CAL-012 503/).first()).toBeVisible();

  // While open, calls are refused without reaching Cal.com.
  await card.getByRole("button", { name: "Test connection" }).click();
  await expect(card.getByRole("list", { name: "Connection test result" })).toContainText("CAL-013");

  // Cal.com recovers; the operator resets the circuit with a reason.
  await page.goto(`${BASE}/sandbox`);
  await page.getByRole("button", { name: "Reset all faults" }).click();
  await expect(page.getByLabel("Forced status for all")).toHaveValue("");
  await page.goto(`${BASE}/circuit`);
  await card.getByRole("button", { name: "Reset…" }).click();
  const form = card.getByRole("form", { name: "Reset circuit of Friseur" });
  await form.getByLabel("Reason").fill("sandbox fault cleared");
  await form.getByRole("button", { name: "Confirm reset" }).click();
  await expect(state).toContainText("closed");
  await expect(card.getByRole("list", { name: "Circuit history of Friseur" })).toContainText(
    "reset by operator: sandbox fault cleared",
  );

  await card.getByRole("button", { name: "Test connection" }).click();
  await expect(card.getByRole("list", { name: "Connection test result" })).toContainText("GET /v2/me: ok");
  await expect(card.getByRole("list", { name: "Connection test result" })).toContainText("eventTypes 45");

  await page.goto(`${BASE}/audit`);
  const row = page.locator("tr", { has: page.getByRole("cell", { name: "circuit.reset" }) }).first();
  await expect(row).toContainText("sandbox fault cleared");
  await expect(row).toContainText("operator@e2e.test");
});

test("the health endpoint answers without a session and reveals no secret", async ({ request }) => {
  const res = await request.get("/api/health/calcom", { headers: { cookie: "" } });
  const body = await res.json();
  expect(body).toMatchObject({ service: "cal.com", api_version: "v2", cache_enabled: true });
  expect(["closed", "open", "half_open"]).toContain(body.circuit_breaker);
  expect(JSON.stringify(body)).not.toMatch(/cal_(test|live)_|whsec_/);
  // Anonymous monitors get counts per status; company names need a session (or the ops token).
  expect(body.companies).toBeUndefined();
  expect(body.counts.total).toBeGreaterThanOrEqual(2);
  expect(JSON.stringify(body)).not.toContain("Friseur");
});

test("the health endpoint names companies for a signed-in user, with the overview's verdict", async ({ request }) => {
  const overview = (await (await request.get("/api/admin/calcom/overview")).json()) as {
    companies: { companyName: string; verdict: { status: string; reasons: unknown[] } }[];
  };
  const tile = overview.companies.find((c) => c.companyName === "Friseur")!;
  const body = await (await request.get("/api/health/calcom")).json();
  expect(body.companies).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ company: "Friseur", status: tile.verdict.status, reasons: tile.verdict.reasons }),
    ]),
  );
});
