// The two entry forms: an FAQ (question, alternates, answer …) and a matter
// guide, facet by facet. Each returns its sections and `read()`, which gives the
// entry as edited, in the entry's own shape (fields the form does not show kept).
import { api } from './api.js';
import { el } from './dom.js';
import {
  checkField, entryPicker, listField, numberField, rowsField, selectField, textField, tokensField,
} from './fields.js';
import { FacetLabels } from './labels.js';

function section(id, title, ...fields) {
  return el('section', { class: 'form-section', id, attrs: { 'aria-labelledby': `${id}-title` } },
    el('h2', { id: `${id}-title`, text: title }), ...fields.map((f) => f.node ?? f));
}

/** Optional text: the key goes when blank. */
function setOptional(target, key, value) {
  if (value === undefined || value === '') delete target[key];
  else target[key] = value;
}

export function faqForm(entry, { linkedTitle } = {}) {
  const question = textField('问题', '/question', entry.question, { required: true, hint: '市民最常用的说法，作为标题显示' });
  const alternates = listField('其他问法', '/alternates', entry.alternates, {
    itemLabel: '问法', addLabel: '添加问法', placeholder: '市民可能的另一种问法',
    hint: '每行一种说法；口语、方言、错别字都可以加。按回车添加下一行。',
  });
  const answer = textField('答案', '/answer', entry.answer, { multiline: true, rows: 7, required: true, hint: '纯文本；链接写成“文字 (https://…)”' });
  const tags = tokensField('标签', '/tags', entry.tags);
  const followUps = listField('后续问题按钮', '/followUps', entry.followUps, { itemLabel: '后续问题', addLabel: '添加后续问题', hint: '答完后给市民的快捷按钮' });
  const matter = entryPicker('关联办事指南', '/matterId', { kind: 'matter', value: entry.matterId, title: linkedTitle, hint: '可选：此问答属于哪个办事事项' });
  const department = textField('部门', '/department', entry.department, { optional: true });
  const contactName = textField('联系人', '/contact/name', entry.contact?.name, { optional: true });
  const contactPhone = textField('联系电话', '/contact/phone', entry.contact?.phone, { optional: true });
  const contact = el('div', { class: 'field-row', dataset: { field: '/contact' } }, contactName.node, contactPhone.node);

  const sections = [
    section('faq-main', '问答内容', question, alternates, answer),
    section('faq-links', '归类与关联', tags, department, matter, followUps, contact),
  ];
  return {
    sections, alternates,
    read() {
      const next = { ...entry, question: question.read(), alternates: alternates.read(), answer: answer.read(), tags: tags.read(), followUps: followUps.read(), matterId: matter.read() };
      setOptional(next, 'department', department.read());
      const c = {};
      setOptional(c, 'name', contactName.read());
      setOptional(c, 'phone', contactPhone.read());
      if (Object.keys(c).length) next.contact = c;
      else delete next.contact;
      return next;
    },
  };
}

/** The FAQ short form the API takes (CONTRACTS §3); null removes an optional field. */
export function faqBody(entry) {
  return {
    question: entry.question, alternates: entry.alternates, answer: entry.answer, tags: entry.tags, followUps: entry.followUps,
    matterId: entry.matterId ?? null, department: entry.department ?? null, contact: entry.contact ?? null,
  };
}

const MaterialForms = [['original', '原件'], ['copy', '复印件'], ['both', '原件及复印件'], ['electronic', '电子版'], ['unspecified', '未说明']];
const TimeUnits = [['', '（无）'], ['working_day', '工作日'], ['natural_day', '自然日'], ['hour', '小时'], ['month', '个月'], ['immediate', '即办']];

function timeLimit(label, pointer, value) {
  const on = checkField(`有${label}`, `${pointer}`, value !== null && value !== undefined);
  const amount = numberField('数值', `${pointer}/value`, value?.value ?? null);
  const unit = selectField('单位', `${pointer}/unit`, value?.unit ?? '', TimeUnits);
  const text = textField('原文', `${pointer}/text`, value?.text ?? '', { placeholder: '例如：自受理之日起 20 个工作日' });
  const details = el('div', { class: 'field-row' }, amount.node, unit.node, text.node);
  const toggle = () => { details.hidden = !on.control.checked; };
  on.control.addEventListener('change', toggle);
  toggle();
  return {
    node: el('fieldset', { class: 'group' }, el('legend', { text: label }), on.node, details),
    read: () => (on.control.checked ? { value: amount.read(), unit: unit.read() || null, text: text.read() } : null),
  };
}

export const MatterSections = [
  ['m-basic', '基本信息', 'overview'], ['m-conditions', '办理条件', 'conditions'], ['m-materials', '申请材料', 'materials'],
  ['m-fees', '收费', 'fees'], ['m-time', '办理时限', 'time_limit'], ['m-locations', '办理地点', 'location'],
  ['m-phones', '咨询与投诉电话', 'contact'], ['m-steps', '办理流程', 'process'], ['m-online', '网上办理', 'online'], ['m-more', '其他', null],
];

export function matterForm(entry, { isNew = false } = {}) {
  const id = isNew ? textField('编号', '/id', '', { optional: true, hint: '可留空，系统自动生成；保存后不能修改' }) : null;
  const name = textField('事项名称', '/name', entry.name, { required: true });
  const aliases = listField('别名', '/aliases', entry.aliases, { itemLabel: '别名', addLabel: '添加别名', hint: '市民对这个事项的其他叫法' });
  const department = textField('部门', '/department', entry.department, { optional: true });
  const tags = tokensField('标签', '/tags', entry.tags);
  const themes = tokensField('主题', '/themes', entry.themes);
  const applicants = tokensField('服务对象', '/applicants', entry.applicants);
  const baseName = textField('基本事项', '/baseName', entry.baseName, { optional: true, hint: '同一事项的不同情形共用' });
  const variant = textField('情形', '/variant', entry.variant, { optional: true });
  const region = textField('地区', '/region', entry.region, { optional: true });
  const level = textField('层级', '/level', entry.level, { optional: true });
  const matterType = textField('事项类型', '/matterType', entry.matterType, { optional: true });
  const sourceUrl = textField('来源网址', '/sourceUrl', entry.sourceUrl, { optional: true, type: 'url' });

  const conditions = textField('办理条件', '/conditions', entry.conditions, { multiline: true, rows: 6 });

  const materials = rowsField('申请材料', '/materials', entry.materials, [
    { key: 'name', label: '材料名称', wide: true },
    { key: 'form', label: '形式', kind: 'select', options: MaterialForms },
    { key: 'originals', label: '原件份数', kind: 'int' },
    { key: 'copies', label: '复印件份数', kind: 'int' },
    { key: 'required', label: '必需', kind: 'check' },
    { key: 'notes', label: '备注', optional: true, wide: true },
  ], { itemName: '材料', addLabel: '添加材料', newItem: () => ({ name: '', form: 'original', originals: 1, copies: 0, required: true }) });

  const feeStatus = selectField('收费情况', '/fees/status', entry.fees?.status ?? 'not_recorded', [['free', '不收费'], ['charged', '收费'], ['not_recorded', '未记录']],
    { hint: '“不收费”和“未记录”是不同的回答' });
  const feeItems = rowsField('收费项目', '/fees/items', entry.fees?.items ?? [], [
    { key: 'name', label: '项目', wide: true },
    { key: 'amount', label: '金额（元）', kind: 'number', nullable: true },
    { key: 'amountText', label: '金额说明', optional: true },
    { key: 'basis', label: '收费依据', optional: true, wide: true },
  ], { itemName: '收费项目', addLabel: '添加收费项目', newItem: () => ({ name: '', amount: null }) });
  const feeNote = textField('收费说明', '/fees/note', entry.fees?.note, { optional: true });

  const legal = timeLimit('法定时限', '/timeLimits/legal', entry.timeLimits?.legal);
  const promised = timeLimit('承诺时限', '/timeLimits/promised', entry.timeLimits?.promised);

  const locations = rowsField('办理地点', '/locations', entry.locations, [
    { key: 'name', label: '名称', optional: true },
    { key: 'address', label: '地址', wide: true },
    { key: 'hours', label: '办公时间', optional: true },
    { key: 'window', label: '窗口', optional: true },
  ], { itemName: '地点', addLabel: '添加地点', newItem: () => ({ address: '' }) });

  const consult = listField('咨询电话', '/phones/consult', entry.phones?.consult, { itemLabel: '咨询电话', addLabel: '添加咨询电话' });
  const complaint = listField('投诉电话', '/phones/complaint', entry.phones?.complaint, { itemLabel: '投诉电话', addLabel: '添加投诉电话' });

  const steps = rowsField('办理流程', '/steps', entry.steps, [
    { key: 'title', label: '步骤' },
    { key: 'description', label: '说明', kind: 'textarea', wide: true },
    { key: 'actor', label: '办理人', optional: true },
  ], { itemName: '步骤', addLabel: '添加步骤', newItem: () => ({ title: '', description: '' }) });

  const onlineAvailable = checkField('可以网上办理', '/online/available', entry.online?.available);
  const fullyOnline = checkField('全程网办（不用到现场）', '/online/fullyOnline', entry.online?.fullyOnline);
  const platform = textField('平台', '/online/platform', entry.online?.platform, { optional: true });
  const url = textField('办理网址', '/online/url', entry.online?.url, { optional: true, type: 'url' });
  const bookingUrl = textField('预约网址', '/online/bookingUrl', entry.online?.bookingUrl, { optional: true, type: 'url' });

  const visits = numberField('跑动次数', '/visits', entry.visits, { integer: true, hint: '留空表示不清楚' });
  const courier = selectField('快递送达', '/courier', entry.courier ?? 'unknown', [['yes', '可以'], ['no', '不可以'], ['unknown', '不清楚']]);
  const legalBasis = listField('法律依据', '/legalBasis', entry.legalBasis, { itemLabel: '依据', addLabel: '添加依据', multiline: true });
  const faqIds = tokensField('相关问答编号', '/faqIds', entry.faqIds);

  const sections = [
    section('m-basic', '基本信息', ...(id ? [id] : []), name, aliases, el('div', { class: 'field-row' }, department.node, region.node, level.node),
      tags, themes, applicants, el('div', { class: 'field-row' }, baseName.node, variant.node, matterType.node), sourceUrl),
    section('m-conditions', '办理条件', conditions),
    section('m-materials', '申请材料', materials),
    section('m-fees', '收费', el('div', { class: 'field-row', dataset: { field: '/fees' } }, feeStatus.node, feeNote.node), feeItems),
    section('m-time', '办理时限', el('div', { dataset: { field: '/timeLimits' } }, legal.node, promised.node)),
    section('m-locations', '办理地点', locations),
    section('m-phones', '咨询与投诉电话', el('div', { class: 'field-row', dataset: { field: '/phones' } }, consult.node, complaint.node)),
    section('m-steps', '办理流程', steps),
    section('m-online', '网上办理', el('div', { dataset: { field: '/online' } }, onlineAvailable.node, fullyOnline.node, platform.node, url.node, bookingUrl.node)),
    section('m-more', '其他', el('div', { class: 'field-row' }, visits.node, courier.node), legalBasis, faqIds),
  ];

  return {
    sections, aliases,
    toc: MatterSections.map(([sid, title, facet]) => ({ id: sid, title, facet: facet ? FacetLabels[facet] : null })),
    read() {
      const next = { ...entry };
      if (id) setOptional(next, 'id', id.read());
      Object.assign(next, {
        name: name.read(), aliases: aliases.read(), tags: tags.read(), themes: themes.read(), applicants: applicants.read(),
        conditions: conditions.read(), materials: materials.read(), locations: locations.read(), steps: steps.read(),
        phones: { consult: consult.read(), complaint: complaint.read() },
        timeLimits: { legal: legal.read(), promised: promised.read() },
        visits: visits.read(), courier: courier.read(), legalBasis: legalBasis.read(), faqIds: faqIds.read(),
      });
      for (const [key, field] of [['department', department], ['baseName', baseName], ['variant', variant], ['region', region], ['level', level], ['matterType', matterType], ['sourceUrl', sourceUrl]]) {
        setOptional(next, key, field.read());
      }
      const fees = { ...(entry.fees ?? {}), status: feeStatus.read(), items: feeItems.read() };
      setOptional(fees, 'note', feeNote.read());
      next.fees = fees;
      const online = { ...(entry.online ?? {}), available: onlineAvailable.read(), fullyOnline: fullyOnline.read() };
      for (const [key, field] of [['platform', platform], ['url', url], ['bookingUrl', bookingUrl]]) setOptional(online, key, field.read());
      next.online = online;
      return next;
    },
  };
}

/** The matter body the API takes: the whole Matter, without the bookkeeping it sets itself. */
export function matterBody(entry) {
  const { kind: _kind, ...rest } = entry;
  return rest;
}

/** A blank entry of each kind for "new". */
export function blankEntry(kind) {
  if (kind === 'faq') return { kind: 'faq', question: '', alternates: [], answer: '', tags: [], followUps: [], matterId: null };
  return {
    kind: 'matter', source: 'staff', name: '', aliases: [], tags: [], themes: [], applicants: [], conditions: '', materials: [],
    fees: { status: 'not_recorded', items: [] }, timeLimits: { legal: null, promised: null }, locations: [],
    phones: { consult: [], complaint: [] }, online: { available: false, fullyOnline: false }, visits: null, courier: 'unknown',
    steps: [], legalBasis: [], faqIds: [],
  };
}

/** The title of a linked entry, for the FAQ's matter picker. */
export async function titleOf(id) {
  if (!id) return '';
  try {
    const view = await api(`/entries/${encodeURIComponent(id)}`);
    return view.entry.kind === 'matter' ? view.entry.name : view.entry.question;
  } catch {
    return id;
  }
}
