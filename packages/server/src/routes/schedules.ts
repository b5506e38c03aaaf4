/**
 * Schedule routes: put, list, get, delete, trigger, pause, resume. Access follows the queue a
 * schedule fills (docs/security.md): reading needs `read` on it; changing one needs `admin` on
 * it; putting one (which makes jobs appear in the queue) or triggering one needs `admin` and
 * `produce`. A schedule named in the path is read first to learn its queue, so those routes
 * authorize in the handler; a PUT that moves a schedule to another queue needs the grants on
 * both. A list shows only the schedules whose queue the token may read.
 */
import { Type } from '@sinclair/typebox';
import { ScheduleNotFoundError, type Action, type ScheduleInput } from '@docket/protocol';
import type { Engine } from '@docket/core';
import { allows, authorize } from '../auth/authorize.ts';
import type { Principal } from '../auth/principal.ts';
import { PageQuery, errorResponses } from '../schemas/common.ts';
import { ScheduleBody, SchedulePage, ScheduleParams, ScheduleReply, TriggerReply } from '../schemas/schedules.ts';
import { renderJob } from '../wire.ts';
import { defineRoute } from './route.ts';

const tags = ['schedules'];

/** The queue of an existing schedule, after checking `actions` on it (ScheduleNotFoundError when missing). */
async function authorizeSchedule(
  engine: Engine,
  principal: Principal,
  name: string,
  actions: readonly Action[],
): Promise<void> {
  const { queue } = await engine.getSchedule(name);
  for (const action of actions) authorize(principal, action, [queue]);
}

const putSchedule = defineRoute({
  method: 'PUT',
  url: '/v1/schedules/:name',
  body: 'json',
  access: { scope: 'none' },
  schema: {
    operationId: 'putSchedule',
    summary: 'create a schedule or replace it: a cron expression or an interval that enqueues a job at each tick',
    description:
      'Exactly one of `cron` (5 fields, or 6 with seconds first; `timezone` an IANA name, default UTC), `every` (`"2s"`) ' +
      'or `everyMs`. A PUT of an unchanged schedule keeps its ticks. Needs `admin` and `produce` on the queue.',
    tags,
    params: ScheduleParams,
    body: ScheduleBody,
    response: { 200: ScheduleReply, ...errorResponses(507) },
  },
  async handler(request, _reply, { engine }) {
    const { principal } = request;
    authorize(principal, 'admin', [request.body.queue]);
    authorize(principal, 'produce', [request.body.queue]);
    const existing = await engine.getSchedule(request.params.name).catch((err: unknown) => {
      if (err instanceof ScheduleNotFoundError) return null;
      throw err;
    });
    if (existing !== null) authorize(principal, 'admin', [existing.queue]);
    return { schedule: await engine.putSchedule(request.params.name, request.body as ScheduleInput) };
  },
});

const listSchedules = defineRoute({
  method: 'GET',
  url: '/v1/schedules',
  body: 'none',
  access: { scope: 'some-queue', action: 'read' },
  schema: {
    operationId: 'listSchedules',
    summary: 'list schedules by name with their next and last fire, a page at a time',
    tags,
    querystring: PageQuery,
    response: { 200: SchedulePage, ...errorResponses() },
  },
  async handler(request, _reply, { engine }) {
    const page = await engine.listSchedules(request.query);
    return { ...page, items: page.items.filter((s) => allows(request.principal, 'read', s.queue)) };
  },
});

const getSchedule = defineRoute({
  method: 'GET',
  url: '/v1/schedules/:name',
  body: 'none',
  access: { scope: 'none' },
  schema: {
    operationId: 'getSchedule',
    summary: 'a schedule with its next and last fire',
    tags,
    params: ScheduleParams,
    response: { 200: ScheduleReply, ...errorResponses(404) },
  },
  async handler(request, _reply, { engine }) {
    const schedule = await engine.getSchedule(request.params.name);
    authorize(request.principal, 'read', [schedule.queue]);
    return { schedule };
  },
});

const deleteSchedule = defineRoute({
  method: 'DELETE',
  url: '/v1/schedules/:name',
  body: 'none',
  access: { scope: 'none' },
  schema: {
    operationId: 'deleteSchedule',
    summary: 'delete a schedule; the jobs it enqueued stay',
    tags,
    params: ScheduleParams,
    response: { 204: Type.Null({ description: 'deleted' }), ...errorResponses(404, 507) },
  },
  async handler(request, reply, { engine }) {
    await authorizeSchedule(engine, request.principal, request.params.name, ['admin']);
    await engine.deleteSchedule(request.params.name);
    return reply.code(204).send();
  },
});

const triggerSchedule = defineRoute({
  method: 'POST',
  url: '/v1/schedules/:name/trigger',
  body: 'none',
  access: { scope: 'none' },
  schema: {
    operationId: 'triggerSchedule',
    summary: 'enqueue one job of the schedule now (also while paused); its ticks and fires are untouched',
    tags,
    params: ScheduleParams,
    response: { 200: TriggerReply, ...errorResponses(404, 429, 507) },
  },
  async handler(request, _reply, { engine }) {
    await authorizeSchedule(engine, request.principal, request.params.name, ['admin', 'produce']);
    return { job: renderJob(await engine.triggerSchedule(request.params.name)) };
  },
});

const pauseSchedule = defineRoute({
  method: 'POST',
  url: '/v1/schedules/:name/pause',
  body: 'none',
  access: { scope: 'none' },
  schema: {
    operationId: 'pauseSchedule',
    summary: 'stop a schedule firing until it is resumed',
    tags,
    params: ScheduleParams,
    response: { 200: ScheduleReply, ...errorResponses(404, 507) },
  },
  async handler(request, _reply, { engine }) {
    await authorizeSchedule(engine, request.principal, request.params.name, ['admin']);
    return { schedule: await engine.pauseSchedule(request.params.name) };
  },
});

const resumeSchedule = defineRoute({
  method: 'POST',
  url: '/v1/schedules/:name/resume',
  body: 'none',
  access: { scope: 'none' },
  schema: {
    operationId: 'resumeSchedule',
    summary: 'fire a paused schedule again, from its first tick after now (ticks passed while paused are skipped)',
    tags,
    params: ScheduleParams,
    response: { 200: ScheduleReply, ...errorResponses(404, 507) },
  },
  async handler(request, _reply, { engine }) {
    await authorizeSchedule(engine, request.principal, request.params.name, ['admin']);
    return { schedule: await engine.resumeSchedule(request.params.name) };
  },
});

export const scheduleRoutes = [
  putSchedule,
  listSchedules,
  getSchedule,
  deleteSchedule,
  triggerSchedule,
  pauseSchedule,
  resumeSchedule,
];
