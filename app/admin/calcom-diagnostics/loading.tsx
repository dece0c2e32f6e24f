import { Loading } from "@/components/ui/query-state";

export default function PanelLoading() {
  return <Loading what="Loading the panel" />;
}
