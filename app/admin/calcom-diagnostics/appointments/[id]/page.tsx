import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getTimeline, type Timeline } from "@/lib/timeline/timeline";
import { TimelineView } from "./timeline-view";

export const dynamic = "force-dynamic";

/** The booking timeline of one appointment (numeric id) or one booking-uid chain (uid). */
export default async function AppointmentTimelinePage(props: PageProps<"/admin/calcom-diagnostics/appointments/[id]">) {
  await requireUser("viewer");
  const { id } = await props.params;
  const key = decodeURIComponent(id);
  let timeline: Timeline;
  try {
    timeline = await getTimeline(await getDb(), key);
  } catch (error) {
    if (error instanceof AppError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  }
  const s = timeline.subject;
  const title = s.appointmentId ? `Appointment #${s.appointmentId}` : `Booking ${s.currentUid}`;
  return (
    <>
      <PageHeader
        title={title}
        description="Everything recorded about this booking, in order: what the caller was offered, each Cal.com call with the breaker's state, the manual queue, Cal.com's webhooks, reconciliation and every admin action."
        actions={
          <a
            className="rounded-md border border-slate-300 px-3 py-1.5 text-sm"
            href={`/api/admin/calcom/appointments/${encodeURIComponent(key)}/timeline?format=bundle`}
            download
          >
            Export support bundle
          </a>
        }
      />
      <TimelineView timelineKey={key} initial={timeline} />
    </>
  );
}
