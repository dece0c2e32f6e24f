"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { DebugResult } from "@/lib/slots/context";
import { bookSlot, cancelUid, debugAgain, findAppointment } from "./booking-api";
import { uidChainText } from "../uid-chain";

type Step = { label: string; state: "running" | "ok" | "failed"; detail: string };

/**
 * The cancellation seed's end-to-end test as a button: take the first offered slot, book it, find the local
 * appointment by uid, cancel by uid (never the numeric id), and check that Cal.com offers the slot again.
 */
export function EndToEndTest({ result, onChanged }: { result: DebugResult; onChanged: () => void }) {
  const [steps, setSteps] = useState<Step[]>([]);
  const [isRunning, setRunning] = useState(false);

  async function run() {
    setRunning(true);
    const log: Step[] = [];
    const push = (s: Step) => {
      log.push(s);
      setSteps([...log]);
    };
    const step = async <T,>(label: string, fn: () => Promise<{ value: T; detail: string }>): Promise<T> => {
      push({ label, state: "running", detail: "" });
      try {
        const { value, detail } = await fn();
        log[log.length - 1] = { label, state: "ok", detail };
        setSteps([...log]);
        return value;
      } catch (error) {
        log[log.length - 1] = {
          label,
          state: "failed",
          detail: error instanceof Error ? error.message : String(error),
        };
        setSteps([...log]);
        throw error;
      }
    };
    try {
      const slot = await step("1. Check availability", async () => {
        const first = result.slots[0];
        if (!first) throw new Error("No slot offered in this range");
        return { value: first, detail: `${first.localDate} ${first.localTime} (${first.utcTime} UTC)` };
      });
      const booked = await step("2. Book the slot", async () => {
        const r = await bookSlot(
          result,
          slot.start,
          { name: "E2E Test", email: "e2e-test@example.com" },
          crypto.randomUUID(),
        );
        if (!r.uid)
          throw new Error(`No Cal.com booking (${r.outcome}${r.manualBooking ? `: ${r.manualBooking.reason}` : ""})`);
        return { value: r, detail: `uid ${r.uid}, id ${r.calcomBookingId}` };
      });
      await step("3. Verify the local appointment", async () => {
        const a = await findAppointment(result.companyId, booked.uid!);
        if (!a) throw new Error(`No appointment stores uid ${booked.uid}`);
        return {
          value: a,
          detail: `appointment #${a.id} ${a.status}, Cal.com id ${a.calcomBookingId} and uid ${a.calcomBookingUid} stored${uidChainText(a)}`,
        };
      });
      await step("4. Cancel by uid", async () => {
        const c = await cancelUid(result.companyId, booked.uid!);
        if (c.booking.status !== "cancelled") throw new Error(`Cal.com says ${c.booking.status}`);
        return {
          value: c,
          detail: `POST /v2/bookings/${booked.uid}/cancel: ${c.booking.status}; appointment ${c.appointment?.status ?? "n/a"}`,
        };
      });
      await step("5. Slot offered again", async () => {
        const again = await debugAgain(result);
        if (!again.slots.some((s) => s.start === slot.start)) throw new Error("Cal.com does not offer the slot again");
        return { value: again, detail: `${slot.localTime} is back among ${again.slots.length} slots` };
      });
    } catch {
      // The failed step shows its own message.
    } finally {
      setRunning(false);
      onChanged();
    }
  }

  return (
    <div className="mt-4 border-t border-slate-100 pt-3">
      <Button variant="secondary" onClick={run} disabled={isRunning || result.slots.length === 0 || !result.service}>
        {isRunning ? "Running…" : "Run end-to-end test (book, verify, cancel by uid)"}
      </Button>
      {steps.length > 0 && (
        <ol aria-label="End-to-end test steps" className="mt-2 space-y-0.5 text-sm">
          {steps.map((s) => (
            <li
              key={s.label}
              className={
                s.state === "failed" ? "text-red-700" : s.state === "ok" ? "text-emerald-700" : "text-slate-500"
              }
            >
              {s.label}: {s.state === "running" ? "running…" : s.state === "ok" ? "ok" : "failed"}
              {s.detail ? `, ${s.detail}` : ""}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
