/**
 * Hash routing, so every view has a URL that can be shared or bookmarked and the server needs
 * only one page: `#/`, `#/queues`, `#/queues/{name}?state=dead`, `#/jobs/{id}`, `#/workers`.
 */
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  readonly page: 'overview' | 'queues' | 'queue' | 'job' | 'workers';
  readonly param: string;
  readonly query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const query = new URLSearchParams(search);
  const parts = path.split('/').filter((part) => part !== '');
  const [first, ...rest] = parts;
  const param = decodeURIComponent(rest.join('/'));
  if (first === 'queues' && param !== '') return { page: 'queue', param, query };
  if (first === 'queues') return { page: 'queues', param: '', query };
  if (first === 'jobs' && param !== '') return { page: 'job', param, query };
  if (first === 'workers') return { page: 'workers', param: '', query };
  return { page: 'overview', param: '', query };
}

export function href(page: Route['page'], param = '', query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  const path = page === 'overview' ? '' : page === 'queue' ? 'queues' : page === 'job' ? 'jobs' : page;
  return `#/${path}${param === '' ? '' : `/${encodeURIComponent(param)}`}${search === '' ? '' : `?${search}`}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
