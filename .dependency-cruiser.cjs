/**
 * The dependency rules of docs/architecture.md section 2, enforced by `npm run lint`.
 * Dependencies point one way, towards protocol.
 */
const pkg = (name) => `^packages/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'no-non-package-json',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'protocol-is-a-leaf',
      severity: 'error',
      from: { path: pkg('protocol') },
      to: { path: '^packages/(?!protocol/)' },
    },
    {
      name: 'protocol-no-node-io',
      severity: 'error',
      from: { path: pkg('protocol') },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-only-protocol',
      severity: 'error',
      from: { path: pkg('core') },
      to: { path: '^packages/(?!core/|protocol/)' },
    },
    {
      name: 'core-no-drivers-or-http',
      severity: 'error',
      from: { path: pkg('core') },
      to: { path: 'node_modules/(better-sqlite3|pg|ioredis|fastify)/' },
    },
    {
      name: 'store-testkit-no-stores',
      severity: 'error',
      from: { path: pkg('store-testkit') },
      to: { path: '^packages/(store-sqlite|store-redis|store-postgres|server|client|cli)/' },
    },
    {
      name: 'stores-only-core-protocol',
      severity: 'error',
      from: { path: '^packages/store-(sqlite|redis|postgres)/src/' },
      to: { path: '^packages/(?!core/|protocol/|store-(sqlite|redis|postgres)/)' },
    },
    {
      name: 'stores-not-each-other',
      severity: 'error',
      from: { path: '^packages/store-([a-z]+)/src/' },
      to: { path: '^packages/store-(?!$1/)(sqlite|redis|postgres)/' },
    },
    {
      name: 'server-no-stores',
      severity: 'error',
      from: { path: '^packages/server/src/' },
      to: { path: '^packages/(store-[a-z]+|client|cli|dashboard)/' },
    },
    {
      name: 'dashboard-standalone',
      comment: 'the dashboard talks to the server over /v1 only: it imports no other Docket package',
      severity: 'error',
      from: { path: pkg('dashboard') },
      to: { path: '^packages/(?!dashboard/)' },
    },
    {
      name: 'doors-no-stores',
      comment: 'a front door package reaches the engine it is given, never a store, the SDK or the CLI',
      severity: 'error',
      from: { path: '^packages/door-[a-z]+/src/' },
      to: { path: '^packages/(store-[a-z]+|client|client-local|cli)/' },
    },
    {
      name: 'doors-server-public-only',
      comment:
        'a front door package takes from the server only its public entry points: `@docket/server` and `@docket/server/door-support`',
      severity: 'error',
      from: { path: '^packages/door-[a-z]+/src/' },
      to: { path: '^packages/server/src/(?!mod\\.ts$|door-support\\.ts$)' },
    },
    {
      name: 'doors-not-each-other',
      severity: 'error',
      from: { path: '^packages/door-([a-z]+)/src/' },
      to: { path: '^packages/door-(?!$1/)[a-z]+/' },
    },
    {
      name: 'server-no-door-packages',
      comment: 'the composition root (the CLI) composes door packages with the server, not the server itself',
      severity: 'error',
      from: { path: '^packages/server/src/' },
      to: { path: '^packages/door-[a-z]+/' },
    },
    {
      name: 'client-only-protocol',
      severity: 'error',
      from: { path: '^packages/client/src/' },
      to: { path: '^packages/(?!client/|protocol/)' },
    },
    {
      name: 'client-no-node-modules',
      comment: 'the SDK bundles for the browser: no node: built-ins',
      severity: 'error',
      from: { path: '^packages/client/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'client-local-no-server-or-stores',
      severity: 'error',
      from: { path: '^packages/client-local/src/' },
      to: { path: '^packages/(server|store-[a-z]+|cli)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(test|bench|dist)/|\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default'] },
  },
};
