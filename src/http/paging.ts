import type { FastifyRequest } from 'fastify';

export interface PageParams {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
}

export function pageParams(query: { page?: number; page_size?: number }): PageParams {
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? 20;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

/** Builds the DRF-style envelope with absolute next/previous links on the same path and query. */
export function pageEnvelope<T>(request: FastifyRequest, publicUrl: string, params: PageParams, count: number, results: T[]) {
  const link = (page: number) => {
    const url = new URL(request.url, publicUrl);
    url.searchParams.set('page', String(page));
    url.searchParams.set('page_size', String(params.pageSize));
    return `${publicUrl}${url.pathname}${url.search}`;
  };
  return {
    count,
    next: params.offset + results.length < count ? link(params.page + 1) : null,
    previous: params.page > 1 ? link(params.page - 1) : null,
    results,
  };
}
