// GET|POST /api/admin/calcom/users – list users; create a user (admin)
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { createUser, createUserSchema, listUsers } from "@/lib/users/users";

export const dynamic = "force-dynamic";

export const GET = withAuth(async () => ({ users: await listUsers(await getDb()) }), { role: "admin" });

export const POST = withAuth(
  async ({ req, actor }) => ({ user: await createUser(await getDb(), { input: createUserSchema.parse(await readJson(req)), actor }) }),
  { role: "admin" },
);
