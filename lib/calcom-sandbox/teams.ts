import type { SandboxTeam, SandboxUser } from "@/drizzle/schema/sandbox";
import { parseIntParam } from "./params";
import { requireAuthUser, SandboxHttpError, success, type SandboxContext } from "./http";
import { getTeam, getUserTeams, isTeamMember } from "./store";

/** /v2/me and /v2/teams: registered for every version, so the header never changes them. */

function meOutput(user: SandboxUser) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    name: user.name,
    avatarUrl: null,
    bio: null,
    timeFormat: user.timeFormat,
    defaultScheduleId: null,
    weekStart: user.weekStart,
    timeZone: user.timeZone,
    organizationId: null,
  };
}

function teamOutput(team: SandboxTeam) {
  return {
    id: team.id,
    parentId: team.parentId,
    name: team.name,
    slug: team.slug,
    logoUrl: null,
    calVideoLogo: null,
    appLogo: null,
    appIconLogo: null,
    bio: null,
    hideBranding: false,
    isOrganization: false,
    isPrivate: false,
    hideBookATeamMember: false,
    metadata: {},
    theme: null,
    brandColor: null,
    darkBrandColor: null,
    bannerUrl: null,
    timeFormat: 24,
    timeZone: team.timeZone,
    weekStart: team.weekStart,
  };
}

// GET /v2/me – the key's user; a cheap key health check
export async function handleGetMe(ctx: SandboxContext): Promise<Response> {
  return success(meOutput(requireAuthUser(ctx)));
}

// GET /v2/teams – teams the key's user belongs to
export async function handleListTeams(ctx: SandboxContext): Promise<Response> {
  const user = requireAuthUser(ctx, "list");
  const teams = await getUserTeams(ctx.db, user.id);
  return success(teams.map(teamOutput));
}

// GET /v2/teams/{teamId}
export async function handleGetTeam(ctx: SandboxContext, params: string[]): Promise<Response> {
  const user = requireAuthUser(ctx);
  const teamId = parseIntParam(params[0]);
  const team = await getTeam(ctx.db, teamId);
  if (!team || !(await isTeamMember(ctx.db, teamId, user.id))) {
    throw new SandboxHttpError(
      403,
      `IsTeamMemberGuard - User with id=${user.id} is not a member of team with id=${teamId}`,
    );
  }
  return success(teamOutput(team));
}
