export { createLocalClient, type LocalClientOptions } from './local-client.ts';
export { createLocalTransport } from './local-transport.ts';
