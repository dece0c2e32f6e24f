import { signIn, storageStatePath, test, type Role } from "./fixtures";

for (const role of ["admin", "operator", "viewer"] as Role[]) {
  test(`sign in as ${role}`, async ({ page }) => {
    await signIn(page, role);
    await page.context().storageState({ path: storageStatePath(role) });
  });
}
