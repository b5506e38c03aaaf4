export { dashboard, type DashboardOptions } from './plugin.ts';
export { buildBundle, type Bundle, type Asset } from './bundle.ts';
