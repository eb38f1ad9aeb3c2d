import { get } from './client';
import type { ScenarioDetails } from './types';

const titles = new Map<string, Promise<string>>();

/** A scenario's title for lists of sessions, fetched once per scenario. */
export function scenarioTitle(id: string): Promise<string> {
  let title = titles.get(id);
  if (!title) {
    title = get<ScenarioDetails>('content', `/v1/content/scenarios/${id}`).then(
      (s) => s.title,
      () => 'Unknown scenario',
    );
    titles.set(id, title);
  }
  return title;
}

export async function scenarioTitles(ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  const values = await Promise.all(unique.map(scenarioTitle));
  return Object.fromEntries(unique.map((id, i) => [id, values[i]]));
}
