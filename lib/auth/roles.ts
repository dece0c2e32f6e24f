import type { Role } from "@/drizzle/schema/core";

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

export type Actor =
  | { kind: "user"; userId: number; email: string; role: Role }
  | { kind: "token"; label: "ops-token"; role: Role }
  | { kind: "system"; label: string; role: Role };

export function actorLabel(actor: Actor): string {
  return actor.kind === "user" ? actor.email : actor.label;
}
