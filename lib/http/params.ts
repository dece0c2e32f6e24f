import { z } from "zod";

/** A positive integer id from a path segment or a query string. */
export const idSchema = z.coerce.number().int().positive();
/** `{ id }` path params of `[id]` routes. */
export const idParams = z.object({ id: idSchema });
/** A company scope from a query string or body. */
export const companyIdSchema = z.coerce.number().int().positive();
