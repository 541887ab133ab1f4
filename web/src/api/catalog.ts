import type { ApiClient } from './client';
import type { CatalogClass, Page } from './types';

/** Every page of a DRF-style list (page_size 100: one request for any catalog of ordinary size). */
export async function loadAllPages<T>(api: ApiClient, path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const answer = await api.get<Page<T>>(path, { query: { page, page_size: 100 }, signal });
    items.push(...answer.results);
    if (!answer.next || answer.results.length === 0 || items.length >= answer.count) return items;
  }
}

export const loadCatalog = (api: ApiClient, signal?: AbortSignal) => loadAllPages<CatalogClass>(api, '/students/classes/', signal);
