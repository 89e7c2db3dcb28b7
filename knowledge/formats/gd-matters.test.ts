import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeStore, openDatabase } from '../store.ts';
import { importParsed } from '../import.ts';
import { checkEntry } from '../validate.ts';
import type { Matter } from '../model.ts';
import type { ParsedSource } from './types.ts';
import { extractPhones, parseGdMatters, parseMaterial } from './gd-matters.ts';
import { sharedDataPath } from '../../test/shared-data.ts';

let parsed: ParsedSource;
const byId = new Map<string, Matter>();

beforeAll(async () => {
  parsed = await parseGdMatters(sharedDataPath('gd-matters.jsonl'));
  for (const record of parsed.records) {
    const matter = record.entry as Matter;
    byId.set(matter.id, matter);
  }
});

function matterById(id: string): Matter {
  const matter = byId.get(id);
  if (!matter) throw new Error(`matter ${id} not parsed`);
  return matter;
}

describe('parseGdMatters on the real export', () => {
  it('reads all 2,262 matters, reports no problem, and every one validates', () => {
    expect(parsed.records).toHaveLength(2262);
    expect(parsed.problems).toEqual([]);
    expect(byId.size).toBe(2262);
    const invalid = parsed.records
      .map((record) => ({ location: record.location, problems: checkEntry(record.entry) }))
      .filter((r) => r.problems.length > 0);
    expect(invalid).toEqual([]);
  });

  it('maps a single-material provincial licence (临时价格干预范围事项提价申报)', () => {
    const matter = matterById('11440000006939756B2440101007000');
    expect(parsed.records[0]!.location).toBe('line 1');
    expect(matter).toMatchObject({
      kind: 'matter', source: 'gd-matters', name: '临时价格干预范围事项提价申报', aliases: [],
      baseName: '临时价格干预范围事项提价申报', matterType: '行政许可', department: '广东省发展和改革委员会',
      region: '广东省', level: '省级', themes: ['其他'],
      materials: [{ name: '提价申报申请报告', form: 'unspecified', originals: 0, copies: 0, required: true }],
      // No fee field in the export: not recorded, never "free".
      fees: { status: 'not_recorded', items: [] },
      timeLimits: {
        legal: { value: 30, unit: 'working_day', text: '30(工作日)' },
        promised: { value: 7, unit: 'working_day', text: '7(工作日)' },
      },
      locations: [{ address: '广州市越秀区东风中路305号5号楼808房' }],
      phones: { consult: ['020-34121084'], complaint: ['020-83134173'] },
      online: {
        available: true, fullyOnline: true, platform: '广东省政务服务网统一申办平台',
        url: 'https://www.gdzwfw.gov.cn/gaio/apply.html#/11440000006939756B2440101007000',
      },
      visits: 0, courier: 'yes', steps: [], legalBasis: [], faqIds: [], tags: [],
      sourceUrl: 'https://www.gdzwfw.gov.cn/gaio/apply.html#/11440000006939756B2440101007000',
    });
    expect(matter.variant).toBeUndefined();
    expect(matter.applicants).toContain('企业法人');
    expect(matter.conditions).toMatch(/^《广东省实施〈中华人民共和国价格法〉办法》第二十九条/);
  });

  it('maps the materials of a matter with several, reading form and keeping the qualifiers (弩的运输审批)', () => {
    const matter = matterById('11440000006940140C2440106013004');
    expect(matter.baseName).toBe('弩的制造、销售、进口、运输、使用审批');
    // The catalogue matter covers five actions; this variant is the one about transport.
    expect(matter.variant).toBe('运输');
    expect(matter.materials).toHaveLength(6);
    expect(matter.materials[0]).toEqual({ name: '申请运输弩审批表', form: 'unspecified', originals: 0, copies: 0, required: true });
    expect(matter.materials[1]).toEqual({
      name: '经办人、押运人身份证明', form: 'both', originals: 1, copies: 1, required: true, notes: '原件及复印件',
    });
    expect(matter.timeLimits.promised).toEqual({ value: 1, unit: 'working_day', text: '1(工作日)' });
  });

  it('marks conditional materials as not required and keeps the sub-case as the variant', () => {
    const matter = matterById('11440000006939844R244011505800201');
    expect(matter.variant).toBe('初次申请');
    expect(matter.materials).toHaveLength(8);
    expect(matter.materials.at(-1)).toEqual({
      name: '授权委托书', form: 'unspecified', originals: 0, copies: 0, required: false, notes: '委托办理的',
    });
    expect(matter.materials.filter((m) => !m.required).map((m) => m.name))
      .toEqual(['路段辖区公安机关交通管理部门意见', '授权委托书']);
  });

  it('picks the phone numbers out of a contact field written as prose', () => {
    // consult_phone holds an address, a WeChat id and an e-mail besides the number.
    expect(matterById('11440000006940124N2442028005003').phones.consult).toEqual(['020-37591009']);
  });

  it('splits offices listed one after another and keeps no location for "无线下办理窗口"', () => {
    const panyu = matterById('11440000006940132H2442120109000').locations;
    expect(panyu).toEqual([{ address: '广州市番禺区大石镇群贤路160号，1103室或1101室' }]);
    const offline = [...byId.values()].filter((m) => m.locations.length === 0);
    // 824 matters say 无线下办理窗口 and 7 say 办理地点：无: there is no office to go to.
    expect(offline.length).toBe(831);
    const several = [...byId.values()].find((m) => m.locations.length === 4);
    expect(several?.locations.map((l) => l.address)).toContain('从化区鳌头镇横坑村（科目一、科目二考场）');
  });

  it('leaves online service off when neither the flag nor a platform says otherwise', () => {
    expect(matterById('11440000006939844R2440715105000')).toMatchObject({
      online: { available: false, fullyOnline: false }, courier: 'no', visits: 0,
    });
    expect(matterById('11440000006939844R2440715105000').online.platform).toBeUndefined();
  });

  it('imports into the store: 2,262 created, then all unchanged', () => {
    const store = new KnowledgeStore(openDatabase(':memory:'));
    const first = importParsed(store, parsed, 'test');
    expect(first).toMatchObject({ created: 2262, updated: 0, unchanged: 0, rejected: 0, problems: [] });
    const second = importParsed(store, parsed, 'test');
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 2262, rejected: 0 });
  });
});

describe('parseGdMatters on a broken file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'banshi-gd-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the bad JSON line and the line without TASK_CODE by number, and parses the rest', async () => {
    const good = (code: string): string => JSON.stringify({ TASK_CODE: code, TASK_NAME: `事项${code}`, material_intro: '无' });
    const path = join(dir, 'broken.jsonl');
    writeFileSync(path, [good('A1'), '{"TASK_CODE": "B2", "TASK_NAME": ', good('C3'),
      JSON.stringify({ TASK_NAME: '没有编码的事项' }), '', good('D5')].join('\n') + '\n');
    const result = await parseGdMatters(path);
    expect(result.records.map((r) => r.location)).toEqual(['line 1', 'line 3', 'line 6']);
    expect(result.records.map((r) => (r.entry as Matter).id)).toEqual(['A1', 'C3', 'D5']);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toMatchObject({ location: 'line 2', reason: expect.stringMatching(/^not valid JSON/) });
    expect(result.problems[1]).toEqual({ location: 'line 4', reason: 'missing TASK_CODE' });
    // A minimal row still makes a valid matter: absent fields are empty, not invented.
    expect(checkEntry(result.records[0]!.entry)).toEqual([]);
  });

  it('throws an error naming a missing file', async () => {
    const missing = join(dir, 'nope.jsonl');
    await expect(parseGdMatters(missing)).rejects.toThrow(missing);
  });
});

describe('parseMaterial', () => {
  it('reads the form and takes the qualifier off the name into notes', () => {
    expect(parseMaterial('居民身份证原件')).toEqual({ name: '居民身份证', form: 'original', originals: 1, copies: 0, required: true, notes: '原件' });
    expect(parseMaterial('身份证复印件')).toMatchObject({ name: '身份证', form: 'copy', originals: 0, copies: 1 });
    expect(parseMaterial('本人护照及签证的原件和复印件')).toMatchObject({ name: '本人护照及签证', form: 'both', originals: 1, copies: 1 });
    expect(parseMaterial('近期免冠彩照电子版')).toMatchObject({ name: '近期免冠彩照', form: 'electronic', originals: 0, copies: 0 });
    expect(parseMaterial('申请表（原件）')).toMatchObject({ name: '申请表', form: 'original', notes: '原件' });
  });

  it('reads counts when the wording gives them', () => {
    expect(parseMaterial('申请书一式两份')).toMatchObject({ name: '申请书', form: 'unspecified', originals: 2, copies: 0, notes: '一式两份' });
    expect(parseMaterial('营业执照复印件2份')).toMatchObject({ name: '营业执照', form: 'copy', copies: 2, notes: '复印件2份' });
    expect(parseMaterial('合同原件1份、复印件3份')).toMatchObject({ form: 'both', originals: 1, copies: 3 });
    expect(parseMaterial('身份证原件及复印件各2份')).toMatchObject({ name: '身份证', form: 'both', originals: 2, copies: 2, notes: '原件及复印件各2份' });
    // 身份证 is not a count of anything.
    expect(parseMaterial('身份证')).toMatchObject({ originals: 0, copies: 0 });
  });

  it('marks conditional materials as not required', () => {
    expect(parseMaterial('授权委托书（委托办理的）')).toMatchObject({ name: '授权委托书', required: false, notes: '委托办理的' });
    expect(parseMaterial('如有变更，提供变更证明')).toMatchObject({ required: false });
    expect(parseMaterial('单位申报的，提供说明函')).toMatchObject({ required: false });
    expect(parseMaterial('单位转制的提供转制文件')).toMatchObject({ required: false });
    expect(parseMaterial('处置施工险情和意外事故的应急方案')).toMatchObject({ required: true });
    expect(parseMaterial('湿地占补平衡方案（如果项目占用湿地）')).toMatchObject({ name: '湿地占补平衡方案', required: false });
    expect(parseMaterial('撤回行政复议申请书（仅供参考）')).toMatchObject({ name: '撤回行政复议申请书（仅供参考）', required: true });
  });

  it('keeps the wording whole when a form word is part of it', () => {
    expect(parseMaterial('代办人身份证原件或社会保障卡原件')).toMatchObject({ name: '代办人身份证原件或社会保障卡原件', form: 'original' });
    expect(parseMaterial('退休证复印件或军官转业证书复印件；')).toMatchObject({ name: '退休证复印件或军官转业证书复印件', form: 'copy' });
  });
});

describe('extractPhones', () => {
  it('splits lists on their separators and keeps numbers written with spaces whole', () => {
    expect(extractPhones('020-83133283、83134746；020-1234567/020-7654321')).toEqual(['020-83133283', '83134746', '020-1234567', '020-7654321']);
    expect(extractPhones('020-37886901 020-37886909')).toEqual(['020-37886901', '020-37886909']);
    expect(extractPhones('020-8923 2806')).toEqual(['020-8923 2806']);
    expect(extractPhones('(020)87623552，020－81102000，020-38356454转1')).toEqual(['(020)87623552', '020-81102000', '020-38356454转1']);
    expect(extractPhones('020-86350683或拨打12348')).toEqual(['020-86350683', '12348']);
  });

  it('ignores office hours, postcodes, e-mails, URLs and "无"', () => {
    expect(extractPhones('020-86350153，受理时间：上午08：30-12:00，邮政编码：510405，邮箱：441472514@qq.com，网址：http://a.gov.cn/?id=6505531746')).toEqual(['020-86350153']);
    expect(extractPhones('无')).toEqual([]);
    expect(extractPhones(null)).toEqual([]);
  });
});
