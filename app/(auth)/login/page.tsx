import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage(props: PageProps<"/login">) {
  const params = await props.searchParams;
  const callbackUrl = typeof params.callbackUrl === "string" ? params.callbackUrl : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <h1 className="text-lg font-semibold">Cal.com Diagnostics</h1>
        <p className="mb-5 mt-1 text-sm text-slate-600">
          Sign in to see and fix the health of the Cal.com integration.
        </p>
        <LoginForm callbackUrl={safeCallback(callbackUrl)} />
      </div>
    </main>
  );
}

/** Only same-site paths: an absolute callbackUrl would be an open redirect. */
function safeCallback(value: string | undefined): string {
  if (!value) return "/admin/calcom-diagnostics";
  try {
    const url = new URL(value, "http://local");
    const path = `${url.pathname}${url.search}`;
    return path.startsWith("/") && !path.startsWith("//") ? path : "/admin/calcom-diagnostics";
  } catch {
    return "/admin/calcom-diagnostics";
  }
}
