// Enumerates the routes the core's Fastify server really registers, so the fuzzer covers
// every route without a hand-kept list that could drift. Fastify publishes each new instance
// on the `fastify.initialization` diagnostics channel before any plugin or route is added;
// an `onRoute` hook attached there sees every registration, including the HEAD twins of GET
// routes and the WebSocket route.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RouteInfo {
  method: string;
  /** The route pattern, e.g. `/api/workers/:id`. */
  url: string;
  websocket: boolean;
}

export function routeKey(r: { method: string; url: string }): string {
  return `${r.method} ${r.url}`;
}

/**
 * Runs `start` and returns what it returned plus every route the Fastify instance it built
 * registered. `onInstance` may add test-only hooks to the new instance (see the canary).
 */
export async function captureRoutes<T>(start: () => Promise<T>, onInstance?: (fastify: FastifyInstance) => void): Promise<{ value: T; routes: RouteInfo[] }> {
  const routes: RouteInfo[] = [];
  let instances = 0;
  const onInit = (message: unknown): void => {
    const { fastify } = message as { fastify: FastifyInstance };
    instances++;
    fastify.addHook('onRoute', (opts: RouteOptions & { websocket?: boolean }) => {
      const methods = Array.isArray(opts.method) ? opts.method : [opts.method];
      for (const method of methods) routes.push({ method: String(method).toUpperCase(), url: opts.url, websocket: Boolean(opts.websocket) });
    });
    onInstance?.(fastify);
  };
  subscribe('fastify.initialization', onInit);
  try {
    const value = await start();
    if (instances !== 1) throw new Error(`expected one Fastify instance while starting the core, saw ${instances}`);
    const unique = new Map(routes.map((r) => [routeKey(r), r]));
    return { value, routes: [...unique.values()].sort((a, b) => routeKey(a).localeCompare(routeKey(b))) };
  } finally {
    unsubscribe('fastify.initialization', onInit);
  }
}
