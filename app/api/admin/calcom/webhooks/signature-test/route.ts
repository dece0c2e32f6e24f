// POST /api/admin/calcom/webhooks/signature-test – payload + secret + signature -> verdict and why (nothing is stored)
import { readJson, withAuth } from "@/lib/http/with-auth";
import { signatureTestSchema, testSignature } from "@/lib/webhooks/tools";

export const dynamic = "force-dynamic";

export const POST = withAuth(async ({ req }) => testSignature(signatureTestSchema.parse(await readJson(req))), {
  role: "viewer",
});
