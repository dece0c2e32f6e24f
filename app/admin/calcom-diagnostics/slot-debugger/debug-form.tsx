"use client";

import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { formatDate } from "@/lib/time/format";
import { useCompanies } from "@/lib/client/queries/companies";
import { useServices, type DebugParams } from "./use-slot-debug";

const ZONES = ["Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "Europe/London", "UTC", "America/New_York"];

const todayIn = (timeZone: string) => formatDate(new Date(), timeZone);

/** Company, service or event type, date range and time zone; submitting writes them into the URL (the permalink). */
export function DebugForm({
  params,
  onSubmit,
  isAsking = false,
}: {
  params: DebugParams;
  onSubmit: (next: DebugParams) => void;
  isAsking?: boolean;
}) {
  const companies = useCompanies();
  const list = companies.data?.companies ?? [];
  const [company, setCompany] = useState(params.company);
  const companyId = Number(company || list.find((c) => c.isDefault)?.id || list[0]?.id || 0) || undefined;
  const selected = list.find((c) => c.id === companyId);
  const services = useServices(companyId);
  const [service, setService] = useState(params.service);
  const [eventType, setEventType] = useState(params.eventType);
  const [from, setFrom] = useState(params.from);
  const [to, setTo] = useState(params.to);
  const [tz, setTz] = useState(params.tz);
  const zone = tz || selected?.timeZone || "Europe/Berlin";

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!companyId) return;
    const day = from || todayIn(zone);
    onSubmit({
      company: String(companyId),
      service: eventType ? "" : service,
      eventType,
      from: day,
      to: to && to !== day ? to : "",
      tz: zone,
      at: params.at,
    });
  }

  return (
    <form aria-label="Slot query" onSubmit={submit} className="grid gap-3 md:grid-cols-3 xl:grid-cols-6">
      <Field label="Debug company">
        <Select value={companyId ?? ""} onChange={(e) => (setCompany(e.target.value), setService(""))}>
          {list.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Service">
        <Select value={service} onChange={(e) => setService(e.target.value)} disabled={Boolean(eventType)}>
          <option value="">Choose a service</option>
          {(services.data?.services ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.calcomEventTypeId ?? "no event type"}){s.isActive ? "" : ", inactive"}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Or event type id" hint="Wins over the service">
        <Input
          inputMode="numeric"
          value={eventType}
          onChange={(e) => setEventType(e.target.value.replace(/\D/g, ""))}
          placeholder="3757770"
        />
      </Field>
      <Field label="From">
        <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
      </Field>
      <Field label="To" hint="Optional, up to 31 days">
        <Input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
      </Field>
      <Field label="Time zone" hint={`Company: ${selected?.timeZone ?? "Europe/Berlin"}`}>
        <Input
          list="slot-debugger-zones"
          value={tz}
          placeholder={selected?.timeZone ?? "Europe/Berlin"}
          onChange={(e) => setTz(e.target.value)}
        />
        <datalist id="slot-debugger-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </Field>
      <div className="md:col-span-3 xl:col-span-6">
        <Button type="submit" disabled={isAsking || !companyId || (!service && !eventType)}>
          {isAsking ? "Asking Cal.com…" : "Show slots"}
        </Button>
      </div>
    </form>
  );
}
