import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Outbound HTTP from library code (Cal.com calls, the sandbox's webhook deliveries). Inside runWithOutbound a
 * handler may answer a request in-process (the demo history generator routes the sandbox and our own webhook
 * receiver this way, so its shifted clock reaches both); anything it declines, and everything outside, is fetched.
 */
export type OutboundHandler = (req: Request) => Promise<Response | null>;

const scope = new AsyncLocalStorage<OutboundHandler>();

/** `network` is how the request leaves the process when no scope answers it (plain fetch, or the outbound-URL policy's). */
export async function routedFetch(
  url: string,
  init: RequestInit,
  network: (url: string, init: RequestInit) => Promise<Response> = fetch,
): Promise<Response> {
  const handler = scope.getStore();
  if (handler) {
    const res = await handler(new Request(url, init));
    if (res) return res;
  }
  return network(url, init);
}

export function runWithOutbound<T>(handler: OutboundHandler, fn: () => T): T {
  return scope.run(handler, fn);
}
