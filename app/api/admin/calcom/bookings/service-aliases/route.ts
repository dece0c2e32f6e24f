// GET /api/admin/calcom/bookings/service-aliases?companyId – configured service-name aliases (viewer)
// POST {companyId, serviceId, alias} – add one (admin, audited); DELETE ?id – remove one (admin, audited)
import { addServiceAlias, listServiceAliases, removeServiceAlias, type AddAliasInput } from "@/lib/booking/aliases";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { idSchema } from "@/lib/http/params";

export const dynamic = "force-dynamic";
const idParam = idSchema;

export const GET = withAuth(
  async ({ req, db }) => {
    return { aliases: await listServiceAliases(db, idParam.parse(req.nextUrl.searchParams.get("companyId"))) };
  },
  { role: "viewer" },
);

export const POST = withAuth(
  async ({ req, actor, db }) => {
    const body = (await readJson(req)) as AddAliasInput;
    return { alias: await addServiceAlias(db, { ...body, actor }) };
  },
  { role: "admin" },
);

export const DELETE = withAuth(
  async ({ req, actor, db }) => {
    await removeServiceAlias(db, { id: idParam.parse(req.nextUrl.searchParams.get("id")), actor });
    return { ok: true };
  },
  { role: "admin" },
);
