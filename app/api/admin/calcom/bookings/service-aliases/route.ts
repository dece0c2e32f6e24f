// GET /api/admin/calcom/bookings/service-aliases?companyId – configured service-name aliases (viewer)
// POST {companyId, serviceId, alias} – add one (admin, audited); DELETE ?id – remove one (admin, audited)
import { z } from "zod";
import { addAliasSchema, addServiceAlias, listServiceAliases, removeServiceAlias } from "@/lib/booking/aliases";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";

export const dynamic = "force-dynamic";
const idParam = z.coerce.number().int().positive();

export const GET = withAuth(async ({ req }) => {
  return { aliases: await listServiceAliases(await getDb(), idParam.parse(req.nextUrl.searchParams.get("companyId"))) };
}, { role: "viewer" });

export const POST = withAuth(async ({ req, actor }) => {
  return { alias: await addServiceAlias(await getDb(), addAliasSchema.parse(await readJson(req)), actor) };
}, { role: "admin" });

export const DELETE = withAuth(async ({ req, actor }) => {
  await removeServiceAlias(await getDb(), idParam.parse(req.nextUrl.searchParams.get("id")), actor);
  return { ok: true };
}, { role: "admin" });
