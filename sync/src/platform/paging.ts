// Reading every row of a paged platform query without assuming the page size. Platforms cap
// pageSize silently (50 rows whatever is asked, with a truthful totalCount) or omit totalCount;
// the reader learns the page size the platform actually uses from its first page, pages by it,
// and ends by totalCount when given, else at the first short or empty page. A reply that does
// not add up (rows beyond totalCount, a totalCount that changes between pages, a short page
// before the total) is an error, never a guess: the caller retries later. A row count that is
// too low would make the outbox send a record again (a duplicate on the platform); for the
// roster it would leave workers out.
import type { Page } from './client.js';
import { PlatformError, isPlatformError } from './errors.js';

/** Where a paged read stands: the next page to ask for, and what the platform said so far. */
export interface PagingState {
  pageIndex: number;
  pageSize: number;
  /** Rows read so far. */
  read: number;
  /** The platform's totalCount: undefined before the first page of this read, null when it gives none. */
  totalCount?: number | null;
}

export type PagingStep = { done: true; state: PagingState } | { done: false; state: PagingState };

function inconsistent(detail: string): PlatformError {
  return new PlatformError('inconsistent_reply', { delivery: 'rejected', retry: 'backoff', detail });
}

export function firstPage(pageSize: number): PagingState {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error('pageSize must be a positive integer');
  return { pageIndex: 0, pageSize, read: 0 };
}

/**
 * The step after a page of `rows` rows with `totalCount`: done, or the next page to ask for.
 * Throws an `inconsistent_reply` PlatformError when the pages do not add up.
 */
export function afterPage(s: PagingState, rows: number, totalCount: number | null): PagingStep {
  const total = s.totalCount === undefined ? totalCount : s.totalCount;
  if (s.totalCount !== undefined && totalCount !== s.totalCount) throw inconsistent(`totalCount changed from ${String(s.totalCount)} to ${String(totalCount)} while paging`);
  if (rows > s.pageSize) throw inconsistent(`page ${s.pageIndex} holds ${rows} rows, ${s.pageSize} asked`);
  const read = s.read + rows;
  const at: PagingState = { ...s, read, totalCount: total };
  // The first page tells the platform's own page size when it answers fewer rows than asked
  // while more remain (or may remain, without a totalCount): page by that size from here on.
  // The next offset is pageIndex × size under either reading of a capped request.
  const size = s.pageIndex === 0 && rows > 0 && rows < s.pageSize && (total === null || read < total) ? rows : s.pageSize;
  const next: PagingState = { ...at, pageIndex: s.pageIndex + 1, pageSize: size };
  if (total !== null) {
    if (read > total) throw inconsistent(`${read} rows read, totalCount ${total}`);
    if (read === total) return { done: true, state: at };
    if (rows === 0) throw inconsistent(`page ${s.pageIndex} is empty, ${total - read} of totalCount ${total} not read`);
    if (rows < s.pageSize && s.pageIndex > 0) throw inconsistent(`page ${s.pageIndex} holds ${rows} of ${s.pageSize} rows before the total (${total}) was read`);
    return { done: false, state: next };
  }
  // No totalCount: an empty page ends the list, and so does a short one after the first.
  if (rows === 0 || (rows < s.pageSize && s.pageIndex > 0)) return { done: true, state: at };
  return { done: false, state: next };
}

/**
 * A page request failed with `e`: true when that means "no more pages" (a platform without
 * totalCount that answers −1 past the last page instead of an empty page).
 */
export function isPastLastPage(s: PagingState, e: unknown): boolean {
  return s.pageIndex > 0 && s.totalCount === null && isPlatformError(e) && e.kind === 'bad_parameters';
}

export interface ReadAllOptions {
  /** The page size to ask for (the configured one). */
  pageSize: number;
  /** Refuse to read more pages than this (default 1,000). */
  maxPages?: number;
  /**
   * A page request failed: resolve true to ask the same page again (the pages read so far are
   * kept), false to give up (the error is thrown). Default: give up.
   */
  onPageError?: (e: unknown, attempt: number) => Promise<boolean>;
}

/** One page request: `pageIndex` from 0, `pageSize` rows asked. */
export type PageFetch<T> = (pageIndex: number, pageSize: number) => Promise<Page<T>>;

/** Every row of a paged query, in the platform's order. */
export async function readAllPages<T>(fetch: PageFetch<T>, o: ReadAllOptions): Promise<T[]> {
  const maxPages = o.maxPages ?? 1000;
  const rows: T[] = [];
  let s = firstPage(o.pageSize);
  for (;;) {
    if (s.pageIndex >= maxPages) throw inconsistent(`more than ${maxPages} pages`);
    let page: Page<T> | null = null;
    for (let attempt = 1; page === null; attempt++) {
      try {
        page = await fetch(s.pageIndex, s.pageSize);
      } catch (e) {
        if (isPastLastPage(s, e)) return rows;
        if (!(await o.onPageError?.(e, attempt))) throw e;
      }
    }
    const step = afterPage(s, page.rows.length, page.totalCount);
    rows.push(...page.rows);
    if (step.done) return rows;
    s = step.state;
  }
}
