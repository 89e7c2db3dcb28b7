// Chinese names for entry fields, facets and reply kinds, and a readable rendering
// of any field value, for diffs, merges and problem summaries.
import { el } from './dom.js';

export const FieldLabels = {
  question: '问题', alternates: '其他问法', answer: '答案', tags: '标签', followUps: '后续问题', matterId: '关联办事指南',
  department: '部门', contact: '联系人', source: '来源', id: '编号', kind: '类型',
  name: '事项名称', aliases: '别名', baseName: '基本事项', variant: '情形', matterType: '事项类型', region: '地区', level: '层级',
  themes: '主题', applicants: '服务对象', conditions: '办理条件', materials: '申请材料', fees: '收费', timeLimits: '办理时限',
  locations: '办理地点', phones: '电话', online: '网上办理', visits: '跑动次数', courier: '快递送达', steps: '办理流程',
  legalBasis: '法律依据', faqIds: '相关问答', sourceUrl: '来源网址',
  // Second-level keys.
  form: '形式', originals: '原件份数', copies: '复印件份数', required: '必需', notes: '备注', templateUrl: '模板', sampleUrl: '样表',
  status: '状态', items: '收费项目', note: '说明', amount: '金额', amountText: '金额说明', basis: '依据',
  legal: '法定时限', promised: '承诺时限', value: '数值', unit: '单位', text: '原文',
  address: '地址', hours: '办公时间', window: '窗口', consult: '咨询电话', complaint: '投诉电话',
  available: '可网上办理', fullyOnline: '全程网办', platform: '平台', url: '网址', bookingUrl: '预约网址',
  title: '标题', description: '说明', actor: '办理人', phone: '电话',
};

export const FacetLabels = {
  overview: '事项概况', materials: '申请材料', conditions: '办理条件', fees: '收费', time_limit: '办理时限',
  location: '办理地点', contact: '咨询电话', process: '办理流程', online: '网上办理',
};

export const ReplyKindLabels = {
  answer: '直接回答', clarify: '追问澄清', fallback: '无法回答', smalltalk: '寒暄', handoff: '转人工', guide: '办事引导', rating: '满意度',
};

export const ActionLabels = {
  create: '新建', update: '修改', publish: '发布', delete: '删除', restore: '恢复', rollback: '回滚', import: '导入',
};

/** "/materials/2/name" → "申请材料 第 3 项 · 名称". */
export function fieldName(pointer) {
  if (!pointer || pointer === '/') return '整个条目';
  return pointer.split('/').slice(1).map((part) => {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(key) ? `第 ${Number(key) + 1} 项` : FieldLabels[key] ?? key;
  }).join(' · ');
}

const ScalarWords = { true: '是', false: '否' };

/** Any field value as readable nodes: text kept as text, lists as lists, objects as key–value lines. */
export function showValue(value) {
  if (value === undefined) return el('span', { class: 'muted', text: '（无）' });
  if (value === null) return el('span', { class: 'muted', text: '（空）' });
  if (typeof value === 'boolean') return el('span', { text: ScalarWords[String(value)] });
  if (typeof value !== 'object') return el('span', { class: 'pre', text: String(value) || '（空）' });
  if (Array.isArray(value)) {
    if (value.length === 0) return el('span', { class: 'muted', text: '（空列表）' });
    return el('ol', { class: 'value-list' }, value.map((v) => el('li', {}, showValue(v))));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return el('span', { class: 'muted', text: '（空）' });
  return el('dl', { class: 'value-object' }, keys.flatMap((k) => [el('dt', { text: FieldLabels[k] ?? k }), el('dd', {}, showValue(value[k]))]));
}

/**
 * The validator's English messages in Chinese. The API passes the schema
 * checker's wording through as is; messages already in Chinese stay as they are.
 */
const ProblemWordings = [
  [/^Expected string length greater or equal to 1$/, () => '不能为空'],
  [/^Expected string length greater or equal to (\d+)$/, (n) => `至少 ${n} 个字符`],
  [/^Expected string length less or equal to (\d+)$/, (n) => `最多 ${n} 个字符`],
  [/^Expected string to match '\^https\?:\/\/'$/, () => '须为以 http:// 或 https:// 开头的网址'],
  [/^Expected string to match '.*'$/, () => '格式不对（不能含空格、/、? 或 #）'],
  [/^Expected string$/, () => '须为文字'],
  [/^Expected (?:integer|number) to be greater or equal to (\S+)$/, (n) => `须大于或等于 ${n}`],
  [/^Expected (?:integer|number) to be less or equal to (\S+)$/, (n) => `须小于或等于 ${n}`],
  [/^Expected integer$/, () => '须为整数'],
  [/^Expected number$/, () => '须为数字'],
  [/^Expected boolean$/, () => '须为“是”或“否”'],
  [/^Expected array length to be greater or equal to (\d+)$/, (n) => `至少要有 ${n} 项`],
  [/^Expected array$/, () => '须为列表'],
  [/^Expected object$/, () => '须为一组字段'],
  [/^Expected null$/, () => '须为空'],
  [/^Expected required property$/, () => '必填'],
  [/^Unexpected property$/, () => '不认识的字段'],
  [/^Expected union value$/, () => '取值不在可选范围内'],
  [/^Expected '(.*)'$/, (v) => `须为 ${v}`],
];

export function problemText(message) {
  const text = String(message ?? '');
  for (const [pattern, say] of ProblemWordings) {
    const match = pattern.exec(text);
    if (match) return say(...match.slice(1));
  }
  return text;
}
