// The kiosk's browsing catalogue: matter guides grouped by life event (主题) and
// by department, computed from the live knowledge base so that a guide staff
// publish or withdraw shows up on the terminals without a redeploy.
import type { Entry, Matter } from '../../knowledge/index.ts';

export interface CatalogMatter {
  id: string;
  title: string;
  department: string | null;
}

export interface CatalogGroup {
  name: string;
  matters: CatalogMatter[];
}

export interface Catalog {
  lifeEvents: CatalogGroup[];
  departments: CatalogGroup[];
}

/** Life events in the order a life runs, so the tiles read naturally; unknown themes follow. */
export const LifeEventOrder = [
  '出生', '上学', '就业', '结婚', '生育', '购房', '出行', '开办企业',
  '社会保障', '医疗', '退休', '养老', '身后事', '证件办理', '救助', '法律服务',
] as const;

const collator = new Intl.Collator('zh-CN');

/** The title a citizen picks from: a variant's distinguishing case is part of it. */
export function matterTitle(matter: Matter): string {
  return matter.variant && !matter.name.includes(matter.variant) ? `${matter.name}（${matter.variant}）` : matter.name;
}

function byTitle(a: CatalogMatter, b: CatalogMatter): number {
  return collator.compare(a.title, b.title) || (a.id < b.id ? -1 : 1);
}

function lifeEventRank(name: string): number {
  const i = (LifeEventOrder as readonly string[]).indexOf(name);
  return i < 0 ? LifeEventOrder.length : i;
}

/** A matter listed under a group; `rank` orders it there (lower first). */
interface Listed {
  item: CatalogMatter;
  rank: number;
}

export function buildCatalog(entries: Iterable<Entry>): Catalog {
  const events = new Map<string, Listed[]>();
  const departments = new Map<string, Listed[]>();
  const add = (groups: Map<string, Listed[]>, key: string, listed: Listed): void => {
    const list = groups.get(key);
    if (list) list.push(listed);
    else groups.set(key, [listed]);
  };
  for (const entry of entries) {
    if (entry.kind !== 'matter') continue;
    const department = entry.department?.trim() || null;
    const item: CatalogMatter = { id: entry.id, title: matterTitle(entry), department };
    // A guide lists its main life event first: under 出生, 新生儿出生登记 (出生 first)
    // comes before 社会保障卡申领 (出生 third), which a newborn also needs.
    const themes = [...new Set(entry.themes.map((t) => t.trim()).filter(Boolean))];
    themes.forEach((theme, rank) => add(events, theme, { item, rank }));
    if (department) add(departments, department, { item, rank: 0 });
  }
  const groups = (map: Map<string, Listed[]>): CatalogGroup[] => [...map].map(([name, listed]) => ({
    name,
    matters: listed.sort((a, b) => a.rank - b.rank || byTitle(a.item, b.item)).map((l) => l.item),
  }));
  return {
    lifeEvents: groups(events).sort((a, b) => lifeEventRank(a.name) - lifeEventRank(b.name) || collator.compare(a.name, b.name)),
    // The busiest departments first: that is where most visitors' matters are.
    departments: groups(departments).sort((a, b) => b.matters.length - a.matters.length || collator.compare(a.name, b.name)),
  };
}
