/**
 * The declarative route shape every route table uses: method, url, schema, handler. The schema
 * drives validation, the response serializer and the OpenAPI document; the handler's request
 * and reply types are derived from it, so a handler cannot drift from its documentation.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Engine } from '@docket/core';
import type { RouteAccess } from '../auth/access.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Lifecycle } from '../lifecycle.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { DepthHistory } from '../stats/depth-history.ts';
import type { QueueTotals } from '../stats/queue-totals.ts';
import type { Throughput } from '../stats/throughput.ts';

/** A body with one schema per media type (only the JSON one is validated). */
export interface ContentBody {
  readonly content: Readonly<Record<string, { readonly schema: TSchema }>>;
}

export interface RouteSchema {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: string[];
  readonly params?: TSchema;
  readonly querystring?: TSchema;
  readonly body?: TSchema | ContentBody;
  readonly response: Readonly<Record<number, TSchema>>;
  readonly produces?: string[];
}

type StaticOf<T> = T extends TSchema ? Static<T> : unknown;

export interface RouteTypes<S extends RouteSchema> {
  Params: StaticOf<S['params']>;
  Querystring: StaticOf<S['querystring']>;
  Body: StaticOf<S['body']>;
}

/** Replies may hold the engine's readonly values as they are. */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

type ReplyOf<S extends RouteSchema> = DeepReadonly<
  { [K in keyof S['response']]: StaticOf<S['response'][K]> }[keyof S['response']]
>;

/**
 * Which request bodies a route takes, and so its body limit. `json-optional`: a missing body
 * counts as `{}`.
 */
export type BodyKind = 'none' | 'json' | 'json-optional' | 'batch' | 'json-or-bytes';

/** A file of the store with its size (a SQLite store's database and WAL). */
export interface StoreFile {
  readonly name: string;
  readonly bytes: number;
}

/** What the server knows about itself, for `GET /v1/server`. */
export interface ServerFacts {
  readonly version: string;
  readonly startedAt: number;
  readonly storeKind: string;
  readonly storeFiles: () => Promise<StoreFile[]>;
}

/** What handlers and health checks reach: the engine and the app's own state. */
export interface RouteContext {
  readonly engine: Engine;
  readonly lifecycle: Lifecycle;
  readonly metrics: Metrics;
  /** Resolves to null when ready, or to why not. */
  readonly readyCheck: () => Promise<string | null>;
  readonly facts: ServerFacts;
  readonly throughput: Throughput;
  readonly totals: QueueTotals;
  readonly depth: DepthHistory;
  /** Authentication (the open authenticator while auth is off); streams re-check their token with it. */
  readonly authenticator: Authenticator;
}

export interface Route<S extends RouteSchema = RouteSchema> {
  readonly method: HTTPMethods;
  readonly url: string;
  readonly schema: S;
  readonly body: BodyKind;
  /** What a token needs to call the route (auth/access.ts). */
  readonly access: RouteAccess;
  /** Hot-path routes (enqueue, lease, ack, nack, extend) log at debug. */
  readonly hot?: boolean;
  /** Answered while the server closes too (health and metrics); others answer 503 then. */
  readonly alwaysOn?: boolean;
  handler(
    request: FastifyRequest<RouteTypes<S>>,
    reply: FastifyReply,
    ctx: RouteContext,
  ): Promise<ReplyOf<S> | FastifyReply>;
}

/** Types a route from its schema; the table then holds it as a plain Route. */
export function defineRoute<const S extends RouteSchema>(route: Route<S>): Route {
  return route as unknown as Route;
}
