"use client";

import { Card } from "@/components/ui/card";
import type { DebugResult } from "@/lib/slots/context";

function Json({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2) ?? "null";
  return (
    <pre aria-label={label} className="max-h-80 overflow-auto rounded bg-slate-950 p-3 text-xs text-slate-100">
      {text.length > 60_000 ? `${text.slice(0, 60_000)}\n… (truncated)` : text}
    </pre>
  );
}

/** The exact request sent to Cal.com (method, path, query, version header) and its raw answer. */
export function Inspector({ result }: { result: DebugResult }) {
  const r = result.request;
  const qs = new URLSearchParams(r.query).toString();
  return (
    <Card title="Request and response">
      <div className="grid gap-4 xl:grid-cols-2">
        <section aria-label="Request sent to Cal.com" className="space-y-2 text-sm">
          <p className="break-all font-mono">
            <span className="font-semibold">{r.method}</span> {r.path}?{qs}
          </p>
          <table className="text-xs">
            <tbody>
              {Object.entries(r.headers).map(([k, v]) => (
                <tr key={k}>
                  <th className="pr-3 text-left font-mono font-medium text-slate-600">{k}</th>
                  <td className="font-mono">{v}</td>
                </tr>
              ))}
              {Object.entries(r.query).map(([k, v]) => (
                <tr key={`q-${k}`}>
                  <th className="pr-3 text-left font-mono font-normal text-slate-500">?{k}</th>
                  <td className="font-mono">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="break-all text-xs text-slate-500">
            Base URL: {r.baseUrl} · full URL: {r.url}
          </p>
        </section>
        <section aria-label="Raw response" className="space-y-2 text-sm">
          <p>
            {result.response ? `HTTP ${result.response.status}` : "No HTTP answer"} · {result.durationMs} ms
            {result.isCacheHit ? " · from cache" : ""}
            {result.error ? ` · ${result.error.calCode}` : ""}
          </p>
          {result.response && Object.keys(result.response.headers).length > 0 && (
            <p className="font-mono text-xs text-slate-600">
              {Object.entries(result.response.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join("  ·  ")}
            </p>
          )}
          <Json label="Response body" value={result.response?.body ?? result.error ?? null} />
        </section>
      </div>
    </Card>
  );
}
