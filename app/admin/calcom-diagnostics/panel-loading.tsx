import { Loading } from "@/components/ui/query-state";

/**
 * The panels' loading state. Each panel folder has its own loading.tsx rather than one for the whole section: a
 * loading boundary streams the page, and a page that redirects a low role (settings/users) must answer a real 307.
 */
export function PanelLoading() {
  return <Loading what="Loading the panel" />;
}
