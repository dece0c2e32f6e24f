// GET|POST /api/admin/calcom/users – list users; create a user (admin)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { createUser, createUserSchema, listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export const GET = withAuth(async ({ db }) => ({ users: await listUsers(db) }), { role: "admin" });

export const POST = withAuth(
  async ({ req, actor, db }) => ({
    user: await createUser(db, { input: createUserSchema.parse(await readJson(req)), actor }),
  }),
  { role: "admin" },
);
