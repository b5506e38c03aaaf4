/**
 * Walks a cursor-paginated list to its end, checking every page respects the limit and that
 * the walk terminates (a cursor that never becomes null fails the case instead of hanging).
 */
import { expect } from 'vitest';
import type { Page } from '@docket/protocol';

const MAX_PAGES = 1000;

export async function collectPages<T>(
  limit: number,
  fetchPage: (page: { readonly limit: number; readonly cursor: string | null }) => Promise<Page<T>>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    const page: Page<T> = await fetchPage({ limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.cursor === null) return items;
    cursor = page.cursor;
  }
  throw new Error(`pagination did not end within ${MAX_PAGES} pages`);
}
