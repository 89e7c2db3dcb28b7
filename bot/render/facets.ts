// Turns a structured matter guide into the answer for one facet: text every
// channel can show, plus a card for rich channels. Nothing here invents a fact:
// a field the guide lacks is said to be missing.
import type { Facet, Fees, Material, Matter, TimeLimit } from '../../knowledge/index.ts';
import type { Card } from '../reply.ts';

export const FacetLabels: Record<Facet, string> = {
  overview: '事项概览',
  materials: '需要什么材料',
  conditions: '办理条件',
  fees: '收费标准',
  time_limit: '办理时限',
  location: '办理地点',
  contact: '咨询电话',
  process: '办理流程',
  online: '网上办理',
};

/** The facets offered as quick replies after an overview. */
export const OfferedFacets: Facet[] = ['materials', 'conditions', 'fees', 'time_limit', 'location', 'process', 'online', 'contact'];

export const NO_FEE_RECORD = '未登记收费信息，请以窗口为准';
const HOTLINE = '12345';

export interface Rendered {
  text: string;
  card?: Card;
}

function formLabel(material: Material): string {
  const parts: string[] = [];
  if (material.originals > 0) parts.push(`原件${material.originals}份`);
  if (material.copies > 0) parts.push(`复印件${material.copies}份`);
  if (parts.length === 0) {
    if (material.form === 'electronic') parts.push('电子版');
    else if (material.form === 'original') parts.push('原件');
    else if (material.form === 'copy') parts.push('复印件');
    else if (material.form === 'both') parts.push('原件及复印件');
  }
  return parts.join('、');
}

export function materialDetail(material: Material): string {
  return [formLabel(material), material.required ? '' : '如有/按需提供', material.notes ?? '']
    .filter(Boolean).join('；');
}

export function timeLimitText(limit: TimeLimit): string {
  if (limit.unit === 'immediate') return '即办（当场办结）';
  if (limit.value === null || limit.unit === null) return limit.text;
  const unit = { working_day: '个工作日', natural_day: '个自然日', hour: '小时', month: '个月' }[limit.unit];
  return `${limit.value}${unit}`;
}

export function feesLines(fees: Fees): string[] {
  if (fees.status === 'not_recorded') return [NO_FEE_RECORD];
  if (fees.status === 'free') return ['不收费', ...(fees.note ? [fees.note] : [])];
  return [
    ...fees.items.map((item) => {
      const amount = item.amount === null ? (item.amountText ?? '按标准收取') : `${item.amount}元`;
      return `${item.name}：${amount}${item.basis ? `（依据：${item.basis}）` : ''}`;
    }),
    ...(fees.note ? [fees.note] : []),
  ];
}

function materialsLines(matter: Matter): string[] {
  if (matter.materials.length === 0) return ['办事指南未列出需要提交的材料，建议出发前电话确认'];
  return matter.materials.map((m, i) => {
    const detail = materialDetail(m);
    return `${i + 1}. ${m.name}${detail ? `（${detail}）` : ''}`;
  });
}

function timeLines(matter: Matter): string[] {
  const { legal, promised } = matter.timeLimits;
  const lines = [
    ...(promised ? [`承诺办结时限：${timeLimitText(promised)}`] : []),
    ...(legal ? [`法定办结时限：${timeLimitText(legal)}`] : []),
  ];
  return lines.length > 0 ? lines : ['办事指南未登记办理时限，请以窗口为准'];
}

function locationLines(matter: Matter): string[] {
  if (matter.locations.length === 0) {
    return [matter.online.available ? '无需到线下窗口，可在网上办理' : '办事指南未登记办理地点，请拨打咨询电话确认'];
  }
  return matter.locations.flatMap((l, i) => [
    `${matter.locations.length > 1 ? `${i + 1}. ` : ''}${l.name ? `${l.name}：` : ''}${l.address}`,
    ...(l.window ? [`  窗口：${l.window}`] : []),
    ...(l.hours ? [`  办公时间：${l.hours}`] : []),
  ]);
}

function contactLines(matter: Matter): string[] {
  const { consult, complaint } = matter.phones;
  return [
    consult.length > 0 ? `咨询电话：${consult.join('、')}` : `咨询电话：未登记，可拨打政务服务便民热线 ${HOTLINE}`,
    ...(complaint.length > 0 ? [`投诉电话：${complaint.join('、')}`] : []),
  ];
}

function visitsLine(matter: Matter): string | null {
  if (matter.visits === null) return null;
  return matter.visits === 0 ? '跑动次数：0次（无需到现场）' : `跑动次数：最多跑${matter.visits}次`;
}

function processLines(matter: Matter): string[] {
  const lines = matter.steps.map((s, i) => `${i + 1}. ${s.title}${s.description ? `：${s.description}` : ''}`);
  if (lines.length === 0) lines.push('办事指南未列出具体步骤');
  const visits = visitsLine(matter);
  if (visits) lines.push(visits);
  if (matter.courier === 'yes') lines.push('办理结果可快递送达');
  else if (matter.courier === 'no') lines.push('办理结果需到窗口领取');
  return lines;
}

function onlineLines(matter: Matter): string[] {
  const { online } = matter;
  if (!online.available) return ['该事项暂不支持网上办理，请到窗口办理'];
  return [
    online.fullyOnline ? '可以全程网上办理' : '可以在网上申请，部分环节可能需要到现场',
    ...(online.platform ? [`办理平台：${online.platform}`] : []),
    ...(online.url ? [`网址：${online.url}`] : []),
    ...(online.bookingUrl ? [`网上预约：${online.bookingUrl}`] : []),
  ];
}

function conditionLines(matter: Matter): string[] {
  const lines = matter.conditions.trim() ? [matter.conditions.trim()] : ['办事指南未列出具体受理条件'];
  if (matter.applicants.length > 0) lines.push(`服务对象：${matter.applicants.join('、')}`);
  return lines;
}

/** The lines of one facet, shared by the single answer and the one-time notification sheet. */
export function facetLines(matter: Matter, facet: Exclude<Facet, 'overview'>): string[] {
  switch (facet) {
    case 'materials': return materialsLines(matter);
    case 'conditions': return conditionLines(matter);
    case 'fees': return feesLines(matter.fees);
    case 'time_limit': return timeLines(matter);
    case 'location': return locationLines(matter);
    case 'contact': return contactLines(matter);
    case 'process': return processLines(matter);
    case 'online': return onlineLines(matter);
  }
}

const facetHeadings: Record<Exclude<Facet, 'overview'>, string> = {
  materials: '需要准备以下材料',
  conditions: '办理条件',
  fees: '收费',
  time_limit: '办理时限',
  location: '办理地点',
  contact: '联系电话',
  process: '办理流程',
  online: '网上办理',
};

export function renderOverview(matter: Matter): Rendered {
  const facts: { label: string; value: string }[] = [];
  if (matter.department) facts.push({ label: '办理部门', value: matter.department });
  if (matter.variant) facts.push({ label: '适用情形', value: matter.variant });
  if (matter.region) facts.push({ label: '适用地区', value: matter.region });
  if (matter.timeLimits.promised ?? matter.timeLimits.legal) {
    facts.push({ label: '办理时限', value: timeLimitText((matter.timeLimits.promised ?? matter.timeLimits.legal)!) });
  }
  facts.push({ label: '收费', value: feesLines(matter.fees)[0]! });
  const visits = visitsLine(matter);
  if (visits) facts.push({ label: '跑动次数', value: visits.replace('跑动次数：', '') });
  facts.push({ label: '网上办理', value: matter.online.available ? '支持' : '不支持' });
  const text = [
    `「${matter.name}」`,
    ...facts.map((f) => `${f.label}：${f.value}`),
    '您可以继续问：需要什么材料、办理条件、在哪里办、办理流程等；说“一次性告知”可获取完整办事清单。',
  ].join('\n');
  return {
    text,
    card: {
      type: 'matter', entryId: matter.id, title: matter.name, department: matter.department, facts,
      facets: OfferedFacets.map((facet) => ({ facet, label: FacetLabels[facet] })),
      ...(matter.online.url ?? matter.sourceUrl ? { url: matter.online.url ?? matter.sourceUrl } : {}),
    },
  };
}

/** The answer to one facet of a matter. */
export function renderFacet(matter: Matter, facet: Facet): Rendered {
  if (facet === 'overview') return renderOverview(matter);
  const lines = facetLines(matter, facet);
  const text = `「${matter.name}」${facetHeadings[facet]}：\n${lines.join('\n')}`;
  if (facet === 'materials') {
    return {
      text,
      card: {
        type: 'checklist', entryId: matter.id, title: matter.name,
        items: matter.materials.map((m) => ({ name: m.name, detail: materialDetail(m), required: m.required })),
      },
    };
  }
  return { text };
}

/** 一次性告知: everything needed to get it done in one visit. */
export function renderSheet(matter: Matter): Rendered {
  const order: Exclude<Facet, 'overview'>[] = ['conditions', 'materials', 'fees', 'time_limit', 'location', 'contact', 'process', 'online'];
  const sections = order.map((facet) => ({ facet, label: FacetLabels[facet], lines: facetLines(matter, facet) }));
  const text = [
    `「${matter.name}」一次性告知单`,
    ...sections.map((s) => `【${s.label}】\n${s.lines.join('\n')}`),
  ].join('\n');
  return {
    text,
    card: { type: 'sheet', entryId: matter.id, title: matter.name, sections, ...(matter.online.url ? { url: matter.online.url } : {}) },
  };
}

/** One step of the guided walkthrough ("一步步来"). */
export function renderStep(matter: Matter, index: number): Rendered {
  const step = matter.steps[index]!;
  const total = matter.steps.length;
  const text = [
    `「${matter.name}」第${index + 1}步（共${total}步）：${step.title}`,
    step.description,
    ...(step.actor ? [`办理人：${step.actor}`] : []),
    index + 1 === total ? '这是最后一步。' : '',
  ].filter(Boolean).join('\n');
  return { text, card: { type: 'steps', entryId: matter.id, title: matter.name, index, total, steps: matter.steps } };
}
