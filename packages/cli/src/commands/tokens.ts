/**
 * `docket tokens [ls | create | revoke <id>]`: access tokens over `/v1/tokens` (needs a token
 * with admin on every queue, or auth off). `create` prints the token once, on stdout alone, so
 * it can be piped into a secret store; nothing else ever shows it again.
 */
import type { Page, TokenInfo } from '@docket/protocol';
import type { Command } from 'commander';
import { addClientOptions, clientFrom, durationFlag, integerFlag, type ClientFlags } from '../client-options.ts';
import { segment } from '../http-client.ts';
import { isoTime, note, printData, printJson, type Row } from '../output.ts';

const TOKEN_COLUMNS = ['id', 'name', 'grants', 'created', 'expires', 'last-used'] as const;

function tokenRow(token: TokenInfo): Row {
  return {
    id: token.id,
    name: token.name,
    grants: token.grants.join(' '),
    created: isoTime(token.createdAt),
    expires: token.expiresAt === null ? 'never' : isoTime(token.expiresAt),
    'last-used': token.lastUsedAt === null ? 'never' : isoTime(token.lastUsedAt),
  };
}

interface CreateFlags extends ClientFlags {
  readonly name: string;
  readonly grant: readonly string[];
  readonly expires?: string;
}

async function create(flags: CreateFlags): Promise<void> {
  const expiresInMs = durationFlag('expires', flags.expires);
  const reply = await clientFrom(flags).request<{ token: TokenInfo; secret: string }>('POST', '/v1/tokens', {
    body: { name: flags.name, grants: flags.grant, ...(expiresInMs === undefined ? {} : { expiresInMs }) },
  });
  if (flags.json === true) {
    printJson(reply);
    return;
  }
  process.stdout.write(`${reply.secret}\n`);
  note(
    `token ${reply.token.id} (${reply.token.name}) made: it is shown only this once; revoke with docket tokens revoke ${reply.token.id}`,
  );
}

async function list(flags: ClientFlags & { limit?: string }): Promise<void> {
  const page = await clientFrom(flags).request<Page<TokenInfo>>('GET', '/v1/tokens', {
    query: { limit: integerFlag('limit', flags.limit, 1, 1000) },
  });
  printData(flags.json === true, page, () => page.items.map(tokenRow), TOKEN_COLUMNS);
}

async function revoke(id: string, flags: ClientFlags): Promise<void> {
  await clientFrom(flags).request<unknown>('DELETE', `/v1/tokens/${segment(id)}`);
  if (flags.json === true) printJson({ revoked: id });
  else note(`token ${id} revoked`);
}

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

export function registerTokens(program: Command): void {
  const tokens = program
    .command('tokens')
    .description('make, list and revoke access tokens (needs a token with admin:*)')
    .addHelpText(
      'after',
      "\nExamples:\n  docket tokens create --name ci --grant 'produce:emails*' --grant 'read:*' --expires 30d\n" +
        '  docket tokens ls\n  docket tokens revoke 3f2a…',
    );
  addClientOptions(tokens.command('ls', { isDefault: true }).description('list tokens (never their secrets)'))
    .option('--limit <n>', 'at most this many tokens (1-1000)')
    .action((flags: ClientFlags & { limit?: string }) => list(flags));
  addClientOptions(tokens.command('create').description('make a token; prints it once'))
    .requiredOption('--name <name>', 'a name to know the token by')
    .requiredOption(
      '--grant <action:pattern>',
      'produce, consume, read or admin on a queue pattern (repeat)',
      collect,
      [],
    )
    .option('--expires <duration>', 'lifetime, such as 30d or 12h (default: never expires)')
    .action((flags: CreateFlags) => create(flags));
  addClientOptions(tokens.command('revoke <id>').description('revoke a token on every server')).action(
    (id: string, flags: ClientFlags) => revoke(id, flags),
  );
}
