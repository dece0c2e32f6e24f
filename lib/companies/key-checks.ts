/** Cal.com key and URL format checks from the troubleshooting guide; pure, shared by the form, the route and the CLI. */
export type Finding = { level: "error" | "warning"; field: "apiKey" | "apiUrl"; message: string };

export function checkApiKeyFormat(key: string, opts: { isProduction: boolean }): Finding[] {
  const findings: Finding[] = [];
  const trimmed = key.trim();
  if (/^bearer\s/i.test(trimmed)) {
    findings.push({
      level: "error",
      field: "apiKey",
      message: 'Remove the "Bearer " prefix: paste the key alone; the client adds the header itself.',
    });
    return findings;
  }
  if (!trimmed.startsWith("cal_")) {
    findings.push({
      level: "error",
      field: "apiKey",
      message: "Cal.com API keys start with cal_ (cal_live_ for production).",
    });
    return findings;
  }
  if (/\s/.test(trimmed)) findings.push({ level: "error", field: "apiKey", message: "The key contains whitespace." });
  if (opts.isProduction && !trimmed.startsWith("cal_live_")) {
    // Contract §1: the docs call cal_ keys without "live" test keys and cal_live_ keys live keys; Cal.com itself accepts
    // any cal_ key (it hashes what follows the prefix). Nothing documents what a test key can or cannot reach.
    findings.push({
      level: "warning",
      field: "apiKey",
      message:
        "This key does not start with cal_live_: Cal.com's docs call such keys test keys. Make sure it is the key of the production account you mean.",
    });
  }
  return findings;
}

export function checkApiUrl(url: string): Finding[] {
  const findings: Finding[] = [];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [{ level: "error", field: "apiUrl", message: "Enter a full URL such as https://api.cal.com/v2" }];
  }
  if (parsed.protocol !== "https:" && !["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname)) {
    findings.push({ level: "error", field: "apiUrl", message: "Cal.com requires HTTPS." });
  }
  if (parsed.pathname.includes("/staging/")) {
    findings.push({
      level: "warning",
      field: "apiUrl",
      message: "This URL points at Cal.com staging, not production (https://api.cal.com/v2).",
    });
  }
  return findings;
}
