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

function commonSuffix(values: string[]): number {
  let n = 0;
  const first = values[0] ?? '';
  while (n < first.length && values.every((v) => v.length > n && v[v.length - 1 - n] === first[first.length - 1 - n])) n++;
  return n;
}

/** Each name minus what every name in the group shares at its start and end. */
function nameDifferences(names: string[]): string[] {
  const prefix = commonPrefix(names);
  const rest = names.map((n) => n.slice(prefix));
  const suffix = commonSuffix(rest);
  return rest.map((r, i) => r.slice(0, r.length - suffix).replace(/^[(（\s]+|[)）\s]+$/g, '') || names[i]!);
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

  /** The entry's group with a label per member, or null when the entry has no near-duplicate. */
  group(entryId: string): VariantGroup | null {
    const key = this.keyOf.get(entryId);
    const group = key === undefined ? undefined : this.groups.get(key);
    if (!key || !group || group.size < 2) return null;
    const members = [...group.values()].sort((a, b) => a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id));
    const names = nameDifferences(members.map((m) => m.name));
    // Attributes in the order a citizen can answer them best; the first ones that differ make the label.
    const attributes: string[][] = [
      names,
      members.map((m) => m.variant),
      members.map((m) => m.region),
      members.map((m) => m.applicants),
      members.map((m) => m.department),
    ];
    const chosen: string[][] = [];
    for (const values of attributes) {
      if (new Set(values).size < 2) continue;
      // Skip an attribute that repeats what the chosen ones already say (a variant already in the name).
      if (chosen.some((c) => c.every((v, i) => values[i] === '' || v.includes(values[i]!)))) continue;
      chosen.push(values);
      const labels = members.map((_, i) => chosen.map((c) => c[i]).filter(Boolean).join(' · '));
      if (new Set(labels).size === members.length) break;
    }
    return {
      baseName: key,
      members: members.map((m, i) => ({
        entryId: m.id,
        title: m.name,
        distinguishing: chosen.map((c) => c[i]).filter(Boolean).join(' · ') || m.name,
      })),
    };
  }
}
