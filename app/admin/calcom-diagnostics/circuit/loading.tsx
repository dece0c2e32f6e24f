import { PanelLoading } from "../panel-loading";

export default PanelLoading;
