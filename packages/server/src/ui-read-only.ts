/**
 * Read-only UI sessions (`docket serve --ui-read-only`). The dashboard marks every `/v1` call it
 * makes with the `X-Docket-UI` header (one place: the dashboard's api module); with read-only on,
 * a marked call that could change anything (any method but GET, HEAD and OPTIONS) is refused with
 * 403 FORBIDDEN before its handler runs, so hiding the buttons is not the only guard.
 *
 * Invariant: this narrows what a dashboard session may do; it is not authentication. A client
 * that leaves the header off is an API client, governed by the server's tokens when it has them.
 * Once the dashboard logs in with its session cookie, that cookie marks the session as well.
 */
import type { FastifyInstance } from 'fastify';
import { ForbiddenError } from '@docket/protocol';

export const UI_SESSION_HEADER = 'x-docket-ui';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function refuseMutationsFromUi(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (SAFE_METHODS.has(request.method) || request.headers[UI_SESSION_HEADER] === undefined) done();
    else done(new ForbiddenError('the dashboard is read-only on this server (--ui-read-only)', { readOnly: true }));
  });
}
