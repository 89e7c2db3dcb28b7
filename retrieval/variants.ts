// Near-duplicate matters: the same catalogue matter split per city, sub-case or
// applicant. Grouping them, with the attribute that tells each apart, lets the
// dialogue ask one short question instead of guessing.
import type { Entry, Matter } from '../knowledge/index.ts';

export interface VariantMember {
  entryId: string;
  title: string;
  /** What sets this member apart from the others in its group: a sub-case, a city, an applicant type. */
  distinguishing: string;
}

export interface VariantGroup {
  baseName: string;
  members: VariantMember[];
}

interface MemberInfo {
  id: string;
  name: string;
  variant: string;
  region: string;
  applicants: string;
  department: string;
}

/** A trailing bracketed sub-case: "专职律师执业许可(申请专职执业)" → "专职律师执业许可". */
const TrailingBrackets = /\s*[（(][^]*[)）]\s*$/;

export function variantKey(matter: Matter): string {
  const base = matter.baseName?.trim() || matter.name.replace(TrailingBrackets, '');
  return base.replace(/\s+/g, '');
}

function commonPrefix(values: string[]): number {
  let n = 0;
  const first = values[0] ?? '';
  while (n < first.length && values.every((v) => v[n] === first[n])) n++;
  return n;
}

const Wrapped = /^[(（](.*)[)）]$/;

/** Each name minus the start every name in the group shares, unwrapped from its brackets. */
function nameDifferences(names: string[]): string[] {
  let prefix = names.length > 1 ? commonPrefix(names) : 0;
  // Never split a bracket: "许可（新办）" and "许可（延续）" differ by 新办 and 延续, brackets and all.
  const open = Math.max(names[0]!.lastIndexOf('(', prefix - 1), names[0]!.lastIndexOf('（', prefix - 1));
  const close = Math.max(names[0]!.lastIndexOf(')', prefix - 1), names[0]!.lastIndexOf('）', prefix - 1));
  if (prefix > 0 && open > close) prefix = open;
  return names.map((name) => {
    const rest = name.slice(prefix).trim();
    return (Wrapped.exec(rest)?.[1] ?? rest).trim() || name;
  });
}

export class VariantGroups {
  private readonly groups = new Map<string, Map<string, MemberInfo>>();
  private readonly keyOf = new Map<string, string>();

  upsert(entries: Entry[]): void {
    for (const entry of entries) {
      this.remove([entry.id]);
      if (entry.kind !== 'matter') continue;
      const key = variantKey(entry);
      const group = this.groups.get(key) ?? new Map<string, MemberInfo>();
      group.set(entry.id, {
        id: entry.id,
        name: entry.name,
        variant: entry.variant?.trim() ?? '',
        region: entry.region?.trim() ?? '',
        applicants: entry.applicants.join('、'),
        department: entry.department?.trim() ?? '',
      });
      this.groups.set(key, group);
      this.keyOf.set(entry.id, key);
    }
  }

  remove(ids: string[]): void {
    for (const id of ids) {
      const key = this.keyOf.get(id);
      if (key === undefined) continue;
      this.keyOf.delete(id);
      const group = this.groups.get(key)!;
      group.delete(id);
      if (group.size === 0) this.groups.delete(key);
    }
  }

  /**
   * The entry's group with a label per member, or null when the entry has no
   * near-duplicate. With `among` (say, the ids retrieval ranked close together),
   * only those members are returned and labelled against each other, which keeps
   * the labels short.
   */
  group(entryId: string, among?: Iterable<string>): VariantGroup | null {
    const key = this.keyOf.get(entryId);
    const group = key === undefined ? undefined : this.groups.get(key);
    if (!key || !group) return null;
    const wanted = among ? new Set([entryId, ...among]) : null;
    const members = [...group.values()]
      .filter((m) => !wanted || wanted.has(m.id))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh') || a.region.localeCompare(b.region, 'zh') || a.id.localeCompare(b.id));
    if (members.length < 2) return null;
    const names = nameDifferences(members.map((m) => m.name));
    // Attributes in the order a citizen can answer them best: the sub-case (or, lacking
    // one, what its name adds), then where, who, and which department.
    const attributes: string[][] = [
      members.map((m, i) => m.variant || names[i]!),
      members.map((m) => m.region),
      members.map((m) => m.applicants),
      members.map((m) => m.department),
    ];
    const chosen: string[][] = [];
    const labels = (): string[] => members.map((_, i) => chosen.map((c) => c[i]).filter(Boolean).join(' · '));
    for (const values of attributes) {
      if (new Set(values).size < 2) continue;
      chosen.push(values);
      if (new Set(labels()).size === members.length) break;
    }
    const final = labels();
    return {
      baseName: key,
      members: members.map((m, i) => ({ entryId: m.id, title: m.name, distinguishing: final[i] || m.name })),
    };
  }
}
