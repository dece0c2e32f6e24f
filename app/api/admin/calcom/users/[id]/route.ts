// PATCH /api/admin/calcom/users/{id} – change role, disable, or reset the password (admin)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { updateUser, updateUserSchema } from "@/lib/users/users";
import { idParams } from "@/lib/http/params";

const params = idParams;

export const PATCH = withAuth<{ id: string }>(
  async ({ req, actor, params: raw, db }) => {
    const { id } = params.parse(raw);
    return { user: await updateUser(db, { userId: id, input: updateUserSchema.parse(await readJson(req)), actor }) };
  },
  { role: "admin" },
);
