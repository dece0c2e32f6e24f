// PATCH /api/admin/calcom/users/{id} – change role, disable, or reset the password (admin)
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { readJson, withAuth } from "@/lib/http/with-auth";
import { updateUser, updateUserSchema } from "@/lib/users/users";

const params = z.object({ id: z.coerce.number().int().positive() });

export const PATCH = withAuth<{ id: string }>(
  async ({ req, actor, params: raw }) => {
    const { id } = params.parse(raw);
    return { user: await updateUser(await getDb(), { userId: id, input: updateUserSchema.parse(await readJson(req)), actor }) };
  },
  { role: "admin" },
);
