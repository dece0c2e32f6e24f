"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { fetchJson } from "@/lib/client/fetch-json";
import { queryKeys } from "@/lib/client/query-keys";
import { useToast } from "@/components/ui/toaster";
import { ResetPassword } from "./reset-password";

type UserRow = {
  id: number;
  email: string;
  name: string | null;
  role: "viewer" | "operator" | "admin";
  isDisabled: boolean;
};

export function UsersPanel({ currentUserId }: { currentUserId: number }) {
  const client = useQueryClient();
  const toast = useToast();
  const users = useQuery({
    queryKey: queryKeys.users,
    queryFn: () => fetchJson<{ users: UserRow[] }>("/api/admin/calcom/users"),
  });
  const invalidate = () => client.invalidateQueries({ queryKey: queryKeys.users });
  const create = useMutation({
    mutationFn: (body: Record<string, string>) => fetchJson("/api/admin/calcom/users", { method: "POST", json: body }),
    onSuccess: invalidate,
  });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: number; role?: string; isDisabled?: boolean; password?: string }) =>
      fetchJson(`/api/admin/calcom/users/${id}`, { method: "PATCH", json: body }),
    onSuccess: invalidate,
  });

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = Object.fromEntries(new FormData(form)) as Record<string, string>;
    create.mutate(data, { onSuccess: () => form.reset() });
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[2fr_1fr]">
      <Card title="Users">
        {update.error && <p className="mb-2 text-sm text-red-600">{update.error.message}</p>}
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1">Email</th>
              <th>Role</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.data?.users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100">
                <td className="py-1.5">{u.email}</td>
                <td>
                  <Select
                    aria-label={`Role of ${u.email}`}
                    value={u.role}
                    disabled={u.id === currentUserId}
                    onChange={(e) => update.mutate({ id: u.id, role: e.target.value })}
                    className="w-28"
                  >
                    <option value="viewer">viewer</option>
                    <option value="operator">operator</option>
                    <option value="admin">admin</option>
                  </Select>
                </td>
                <td>{u.isDisabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</td>
                <td className="space-x-2 text-right">
                  {u.id !== currentUserId && (
                    <Button variant="secondary" onClick={() => update.mutate({ id: u.id, isDisabled: !u.isDisabled })}>
                      {u.isDisabled ? "Enable" : "Disable"}
                    </Button>
                  )}
                  <ResetPassword
                    email={u.email}
                    onSave={async (password) => {
                      await update.mutateAsync({ id: u.id, password });
                      toast(`New password set for ${u.email}.`);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Add a user">
        <form onSubmit={onCreate} className="space-y-3" aria-label="Add a user">
          <Field label="Email">
            <Input name="email" type="email" required />
          </Field>
          <Field label="Role">
            <Select name="role" defaultValue="viewer">
              <option value="viewer">viewer</option>
              <option value="operator">operator</option>
              <option value="admin">admin</option>
            </Select>
          </Field>
          <Field label="Password" hint="At least 12 characters.">
            <Input name="password" type="password" minLength={12} required autoComplete="new-password" />
          </Field>
          <Button type="submit" disabled={create.isPending}>
            Create user
          </Button>
          {create.error && <p className="text-sm text-red-600">{create.error.message}</p>}
          {create.isSuccess && <p className="text-sm text-emerald-700">User created.</p>}
        </form>
      </Card>
    </div>
  );
}
