export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootServer } = await import("./lib/boot/boot");
  try {
    await bootServer();
  } catch (error) {
    console.error(`\n[calcom-diagnostics] could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
