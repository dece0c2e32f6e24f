import { companyIdSchema } from "./params";

/** The shell's company switcher puts ?company=<id> in the URL; anything else means "all companies". */
export function parseCompanyParam(value: string | string[] | undefined): number | undefined {
  const parsed = companyIdSchema.safeParse(Array.isArray(value) ? value[0] : value);
  return parsed.success ? parsed.data : undefined;
}
