import "server-only";
import type { OnOpened } from "./evaluate";

/** A newly opened alert is sent to the company's notify targets through the outbox. (Wired once the outbox lands.) */
export const notifyAlertOpened: OnOpened = async () => {};
