import type { SandboxEventType, SandboxUser } from "@/drizzle/schema/sandbox";
import { msgEventTypeNotFound } from "./constants";
import { legacyEventTypeOutput, teamEventTypeOutput, userEventTypeOutput } from "./event-type-output";
import { optionalAuthUser, requireAuthUser, SandboxHttpError, success, type SandboxContext } from "./http";
import { readFidelity } from "./fidelity";
import { parseIntParam } from "./params";
import {
  getEventType,
  getMembershipRole,
  getTeam,
  getTeamMembers,
  getUserByUsername,
  getUsers,
  getUserTeams,
  isTeamMember,
  listTeamEventTypes,
  listUserEventTypes,
} from "./store";

function sortByCreated<T extends SandboxEventType>(rows: T[], order: string | null): T[] {
  if (order !== "asc" && order !== "desc") return rows;
  const sign = order === "asc" ? 1 : -1;
  return [...rows].sort((a, b) => sign * (a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id));
}

// GET /v2/event-types (2024-06-14) – user-scoped only: team event types are never listed here (the sync incident)
export async function handleListEventTypes(ctx: SandboxContext): Promise<Response> {
  const caller = optionalAuthUser(ctx);
  if (ctx.emptyEventTypes) return success([]);
  const username = ctx.query.get("username");
  const eventSlug = ctx.query.get("eventSlug");
  // Dynamic group events (usernames) and org lookups are not modelled: nothing to list.
  if (ctx.query.get("usernames")) return success([]);
  const owner = username ? await getUserByUsername(ctx.db, username) : caller;
  if (!owner) return success([]);
  let rows = await listUserEventTypes(ctx.db, owner.id);
  if (caller?.id !== owner.id) rows = rows.filter((et) => !et.hidden);
  if (eventSlug) rows = rows.filter((et) => et.slug === eventSlug);
  return success(sortByCreated(rows, ctx.query.get("sortCreatedAt")).map((et) => userEventTypeOutput(et, owner)));
}

/**
 * §8.6: a team event type is readable by its owner, its hosts, team admins/owners and admins of the parent
 * organization; any other member of the team gets 403 (a permission of that key, not an invalid key).
 */
async function canReadTeamEventType(ctx: SandboxContext, user: SandboxUser, et: SandboxEventType): Promise<boolean> {
  if (et.ownerId === user.id || et.hostUserIds.includes(user.id)) return true;
  if (et.teamId === null) return false;
  if (isAdminRole(await getMembershipRole(ctx.db, et.teamId, user.id))) return true;
  const team = await getTeam(ctx.db, et.teamId);
  return team?.parentId ? isAdminRole(await getMembershipRole(ctx.db, team.parentId, user.id)) : false;
}

const isAdminRole = (role: string | null) => role === "ADMIN" || role === "OWNER";

async function teamEventTypeOrForbidden(ctx: SandboxContext, user: SandboxUser, et: SandboxEventType) {
  const team = et.teamId ? await getTeam(ctx.db, et.teamId) : null;
  if (!team || !(await canReadTeamEventType(ctx, user, et))) {
    throw new SandboxHttpError(403, `User with ID=${user.id} does not own event type with ID=${et.id}`);
  }
  return teamEventTypeOutput(et, team, await getUsers(ctx.db, et.hostUserIds));
}

// GET /v2/event-types/{id} (2024-06-14) – own event types, and team ones for members of the team
export async function handleGetEventType(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const id = parseIntParam(params[0]);
  const et = await getEventType(ctx.db, id);
  if (!et) throw new SandboxHttpError(404, msgEventTypeNotFound(id));
  if (et.teamId !== null) return success(await teamEventTypeOrForbidden(ctx, user, et));
  if (et.ownerId !== user.id)
    throw new SandboxHttpError(403, `User with ID=${user.id} does not own event type with ID=${et.id}`);
  return success(userEventTypeOutput(et, user));
}

async function teamEventTypesOutput(ctx: SandboxContext, teamId: number) {
  const team = await getTeam(ctx.db, teamId);
  if (!team || ctx.emptyEventTypes) return [];
  let rows = await listTeamEventTypes(ctx.db, teamId);
  const eventSlug = ctx.query.get("eventSlug");
  if (eventSlug) rows = rows.filter((et) => et.slug === eventSlug);
  const hosts = await getUsers(ctx.db, [...new Set(rows.flatMap((et) => et.hostUserIds))]);
  return sortByCreated(rows, ctx.query.get("sortCreatedAt")).map((et) => teamEventTypeOutput(et, team, hosts));
}

// GET /v2/teams/{teamId}/event-types – no guard on the list route, so no key is needed
export async function handleListTeamEventTypes(ctx: SandboxContext, params: string[]): Promise<Response> {
  return success(await teamEventTypesOutput(ctx, parseIntParam(params[0])));
}

// GET /v2/teams/{teamId}/event-types/{id}
export async function handleGetTeamEventType(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const teamId = parseIntParam(params[0]);
  const id = parseIntParam(params[1]);
  const et = await getEventType(ctx.db, id);
  if (!et || et.teamId !== teamId) throw new SandboxHttpError(404, msgEventTypeNotFound(id));
  return success(await teamEventTypeOrForbidden(ctx, user, et));
}

// GET /v2/organizations/{orgId}/teams/{teamId}/event-types – only for a team inside that organization
export async function handleListOrgTeamEventTypes(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const orgId = parseIntParam(params[0]);
  const teamId = parseIntParam(params[1]);
  // §8.7: IsAdminAPIEnabledGuard runs on every /v2/organizations/{orgId}/... route.
  if (!(await readFidelity(ctx.db)).orgAdminApi) {
    throw new SandboxHttpError(
      403,
      `IsAdminAPIEnabledGuard - Organization with id=${orgId} does not have Admin API access. Please contact https://cal.com/sales to upgrade.`,
    );
  }
  const team = await getTeam(ctx.db, teamId);
  if (!team || team.parentId !== orgId) {
    throw new SandboxHttpError(403, `IsTeamInOrg - Team (${teamId}) is not part of the Organization (${orgId})`);
  }
  if (!(await isTeamMember(ctx.db, teamId, user.id))) throw new SandboxHttpError(403, "Forbidden resource");
  return success(await teamEventTypesOutput(ctx, teamId));
}

type LegacyGroup = {
  teamId: number | null;
  bookerUrl: string;
  membershipRole: string | null;
  profile: { slug: string; name: string | null; image: null };
  metadata: { membershipCount: number; readOnly: boolean };
  eventTypes: ReturnType<typeof legacyEventTypeOutput>[];
};

// GET /v2/event-types (legacy 2024-04-15/2024-06-11) – getEventTypesByViewer: personal and team groups
export async function handleLegacyListEventTypes(ctx: SandboxContext): Promise<Response> {
  const user = requireAuthUser(ctx);
  const own = ctx.emptyEventTypes ? [] : await listUserEventTypes(ctx.db, user.id);
  const teams = await getUserTeams(ctx.db, user.id);
  const groups: LegacyGroup[] = [
    {
      teamId: null,
      bookerUrl: "https://cal.com",
      membershipRole: null,
      profile: { slug: user.username, name: user.name, image: null },
      metadata: { membershipCount: 1, readOnly: false },
      eventTypes: own.map((et) => legacyEventTypeOutput(et, [user])),
    },
  ];
  for (const team of teams) {
    const rows = ctx.emptyEventTypes ? [] : await listTeamEventTypes(ctx.db, team.id);
    const members = await getTeamMembers(ctx.db, team.id);
    groups.push({
      teamId: team.id,
      bookerUrl: "https://cal.com",
      membershipRole: team.role,
      profile: { slug: `team/${team.slug}`, name: team.name, image: null },
      metadata: { membershipCount: members.length, readOnly: team.role === "MEMBER" },
      eventTypes: rows.map((et) =>
        legacyEventTypeOutput(
          et,
          members.filter((m) => et.hostUserIds.includes(m.id)),
        ),
      ),
    });
  }
  const profiles = groups.map((g) => ({
    ...g.profile,
    teamId: g.teamId,
    membershipRole: g.membershipRole,
    ...g.metadata,
  }));
  return success({ eventTypeGroups: groups, profiles });
}

// GET /v2/event-types/{id} (legacy) – { eventType } wrapper
export async function handleLegacyGetEventType(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const id = parseIntParam(params[0]);
  const et = await getEventType(ctx.db, id);
  const allowed =
    et && (et.ownerId === user.id || (et.teamId !== null && (await isTeamMember(ctx.db, et.teamId, user.id))));
  if (!et || !allowed) throw new SandboxHttpError(404, `Event type with id ${id} not found`);
  const users = await getUsers(ctx.db, et.teamId ? et.hostUserIds : [user.id]);
  return success({ eventType: legacyEventTypeOutput(et, [...users.values()]) });
}
