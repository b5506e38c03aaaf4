/**
 * Read-only UI sessions (`docket serve --ui-read-only`). The dashboard marks every `/v1` call it
 * makes with the `X-Docket-UI` header (one place: the dashboard's api module); with read-only on,
 * a marked call that could change anything (any method but GET, HEAD and OPTIONS) is refused with
 * 403 FORBIDDEN before its handler runs, so hiding the buttons is not the only guard.
 *
 * The dashboard's session cookie (auth/session-cookie.ts) marks a call as the dashboard's too, so
 * a request crafted with the cookie and without the header is refused all the same. Logging in
 * and out (`POST`/`DELETE /v1/session`) stay allowed.
 *
 * Invariant: this narrows what a dashboard session may do; it is not authentication. A client
 * that sends neither is an API client, governed by the server's tokens when it has them.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '@docket/protocol';
import { isSafeMethod, sessionTokenOf } from './auth/session-cookie.ts';

export const UI_SESSION_HEADER = 'x-docket-ui';

function fromUi(request: FastifyRequest): boolean {
  return request.headers[UI_SESSION_HEADER] !== undefined || sessionTokenOf(request.headers) !== undefined;
}

export function refuseMutationsFromUi(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (isSafeMethod(request.method) || request.routeOptions.config.access?.scope === 'login' || !fromUi(request)) {
      done();
    } else done(new ForbiddenError('the dashboard is read-only on this server (--ui-read-only)', { readOnly: true }));
  });
}
