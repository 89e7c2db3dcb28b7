import { describe, expect, it } from 'vitest';
import type { Facet } from '../knowledge/index.ts';
import { createFacetDetector, detectFacet, facetCueTable, facetCueWords, parseFacetCues } from './facets.ts';
import { normalize } from './normalize.ts';

/** [what the citizen typed, expected facet, a word the retrieval text must keep] */
type Case = [query: string, facet: Facet | null, keeps: string];

const cases: Case[] = [
  // materials: what to bring or submit
  ['办护照要带什么', 'materials', '护照'], // the plainest way to ask
  ['身份证补办需要哪些材料', 'materials', '补办'], // 补办 is subject, not cue: it picks the matter
  ['港澳通行证照片有什么要求', 'materials', '港澳通行证'], // photo rules are about what to submit, though 要求 is a conditions cue
  ['新生兒報戶口要帶什麼證件？', 'materials', '户口'], // Taiwan wording, after normalisation 要带什么证件
  ['中低收入戶應備文件為何', 'materials', '中低收入户'], // Taiwan officialese 應備文件
  ['复印件要几份', 'materials', '复印件'], // number of copies; the longer 要几份 wins over 复印件
  ['老人卡带啥去办', 'materials', '老人卡'], // colloquial 带啥
  ['护照过期了要交哪些才料', 'materials', '护照'], // 才料: the lexicon's misspelling of 材料, inside the cue

  // conditions: who may apply
  ['外地户口能办居住证吗', 'conditions', '外地户口'], // eligibility; the applicant type stays in the query
  ['申请公租房需要什么条件', 'conditions', '公租房'], // 需要什么条件 outranks the materials cue 需要什么 inside it
  ['谁可以申请低保', 'conditions', '低保'],
  ['残疾人证办理有年龄限制吗', 'conditions', '残疾人证'], // restrictions
  ['申請資格是什麼', 'conditions', ''], // Taiwan: 申請資格; 是什么 is overview wording and gives way
  ['特殊工种能不能提前退休', 'conditions', '提前退休'], // a yes/no "can I" question asks whether one may
  ['外地户口在这边换身份证行不行', 'conditions', '外地户口'],
  ['外地户口可以吗', 'conditions', '外地户口'], // asking whether one may, of the matter under discussion
  ['身份证能不能邮寄', 'process', '身份证'], // a narrower cue wins over the "can I" wording, though shorter
  ['注册资本是不是得马上实缴', 'conditions', '注册资本'],
  ['助学金怎么申请，要啥条件', 'conditions', '助学金'], // 要啥条件 (4) ties 怎么申请 (4) and comes later
  ['公积金每个月能提多少', 'conditions', '公积金'], // how much one may withdraw is a limit on the applicant
  ['急诊住院的费用还能报吗', null, '费用'], // whether a cost is reimbursed, not a fee: the dialogue reads 能…吗 as conditions
  ['公积金贷款最多能贷多少', 'conditions', '公积金贷款'], // a limit is a restriction

  // fees
  ['护照办理多少钱', 'fees', '护照'],
  ['换驾照要收费吗', 'fees', '换驾照'],
  ['结婚登记免费吗', 'fees', '结婚登记'], // whether it is free is a fees question
  ['户口本补办工本费多少', 'fees', '户口本'],

  // time_limit
  ['营业执照多久能拿到', 'time_limit', '营业执照'],
  ['护照办好要几天', 'time_limit', '护照'],
  ['居住证有效期多久', 'time_limit', '居住证'], // validity periods belong to time limits
  ['身分證多久可以拿到', 'time_limit', '身分证'], // Taiwan 身分證
  ['驾驶证几天能拿到', 'time_limit', '驾驶证'],
  ['陈情案件的处理时效', 'time_limit', '陈情案件的'], // official wording for how long handling takes
  ['申诉有没有时间的限制', 'time_limit', '申诉有没有'], // a limit in time, not on who may
  ['我爸前几天走了，身份证找不到了', null, '前几天'], // a time in the past, not how long it takes
  ['前几天交的材料，几天能拿到', 'time_limit', '前几天'], // ... while the later 几天能拿到 still asks it

  // location: where, which window, opening hours, how to get there
  ['社保卡在哪里补办', 'location', '补办'],
  ['出入境大厅几点上班', 'location', '出入境'], // opening hours are location in CONTRACTS.md
  ['车管所周末上班吗', 'location', '车管所'],
  ['出入境大厅礼拜六上班吗', 'location', '出入境'],
  ['戶政事務所地址在哪裡', 'location', '户政事务所'], // 在哪里 (3) is longer than 地址 (2)
  ['怎么去政务服务中心', 'location', '政务服务中心'],
  ['养老金资格认证在哪里做', 'location', '资格认证'], // 资格 inside 资格认证 is masked: not a conditions question

  // contact
  ['公积金中心咨询电话是多少', 'contact', '公积金'],
  ['对窗口服务不满意怎么投诉', 'contact', '窗口'], // complaints; 窗口 stays as subject
  ['健保署聯絡電話', 'contact', '健保署'], // Taiwan 聯絡電話
  ['网球会员卡咋办理，电话几多', 'contact', '会员卡'], // written Cantonese 几多 (多少): the later, longer cue wins over 咋办理

  // process: steps, visits, in person, by post, by proxy
  ['身份证办理流程', 'process', '身份证'],
  ['办理居住证要跑几趟', 'process', '居住证'], // 跑几趟 is process in CONTRACTS.md
  ['可以委托别人代办身份证吗', 'process', '身份证'],
  ['护照能邮寄到家吗', 'process', '护照'],
  ['开纳税记录一定要去税务局吗', 'process', '纳税记录'], // whether one must go in person
  ['营业执照怎么办理', 'process', '营业执照'], // 怎么办理 (4) masks the overview 怎么办 inside it
  ['医疗费用报销怎么办理', 'process', '报销'], // 医疗费用 is a "none" phrase: not a fees question

  // online
  ['护照可以网上办吗', 'online', '护照'],
  ['社保可以在手机上查吗', 'online', '社保'],
  ['网上怎么申请低保', 'online', '低保'], // online beats the process cue 怎么申请 (rule 3)
  ['粤省事能办居住证吗', 'online', '居住证'], // the platform name, and the conditions wording goes too
  ['可以網路申請嗎', 'online', ''], // Taiwan 網路 (not 网络) after 'tw' conversion
  ['结婚登记可以在网上预约吗', 'online', '结婚登记'], // booking online is the online channel …
  ['护照要预约吗', 'process', '护照'], // … whether one must book first is part of how it is done
  ['签注能在自助机上自己弄吗', 'process', '签注'], // a machine in the hall is a way of doing it on site, not online
  ['预约离婚登记要满足啥条件', 'conditions', '离婚登记'], // 预约 inside the matter asks nothing
  ['怎么预约办理港澳通行证', 'online', '港澳通行证'], // booking is online in CONTRACTS.md
  ['护照能不能在网上办', 'online', '护照'],
  ['四六级成绩在哪查', 'online', '四六级成绩'], // looking a result up is done online
  ['第一次办的护照办好了没', 'online', '护照'], // so is following an application's progress

  // overview or none: the matter as a whole
  ['身份证丢了怎么办', 'overview', '身份证丢了'], // wants what to do, not the steps
  ['身份证件丢了怎么办', 'overview', '身份证件'], // 证件 inside 身份证件 is not the materials cue
  ['什么是积分入户', 'overview', '积分入户'],
  ['公司地址变更', null, '地址变更'], // a matter name holding the cue 地址
  ['教师资格认定', null, '教师资格认定'],
  ['高考考生资格确认怎么办', 'overview', '资格确认'], // a matter's name: 资格 inside it is no conditions question
  ['预约挂号', null, '预约挂号'], // a matter; 预约 inside it is masked
];

describe('detectFacet', () => {
  it.each(cases)('%s → %s', (query, facet, keeps) => {
    const match = detectFacet(normalize(query).text);
    expect(match.facet).toBe(facet);
    expect(match.rest).toContain(keeps);
    if (match.cue) {
      // The cue is gone from the retrieval text, and the text is tidy.
      expect(match.rest).not.toContain(match.cue);
      expect(match.rest).toBe(match.rest.trim());
      expect(match.rest).not.toMatch(/\s{2}/);
    } else {
      expect(match.rest).toBe(normalize(query).text);
    }
  });

  it('takes overview wording out of "我想办护照", leaving the matter', () => {
    const match = detectFacet(normalize('我想办护照').text);
    expect([null, 'overview']).toContain(match.facet);
    expect(match.rest).toBe('护照');
  });

  it('answers a text with no cue with no facet and the text unchanged', () => {
    expect(detectFacet('港澳通行证续签')).toEqual({ facet: null, cue: null, rest: '港澳通行证续签' });
    expect(detectFacet('')).toEqual({ facet: null, cue: null, rest: '' });
  });

  it('prefers the longer cue, then the later one when two facets are asked', () => {
    // 在哪里办理 (5) outranks 多久 (2).
    expect(detectFacet('护照在哪里办理 多久').facet).toBe('location');
    // Equal length: the question at the end wins.
    expect(detectFacet('护照费用 多久').facet).toBe('time_limit');
  });
});

describe('the cue table (retrieval/lexicon/facets.txt)', () => {
  it('parses without problems and covers every facet', () => {
    const table = facetCueTable();
    expect(table.problems.map((p) => `line ${p.line}: ${p.message}`)).toEqual([]);
    const facets = new Set(table.cues.map((c) => c.facet));
    for (const f of ['overview', 'materials', 'conditions', 'fees', 'time_limit', 'location', 'contact', 'process', 'online', 'none']) {
      expect(facets.has(f as Facet)).toBe(true);
    }
  });

  it('offers its cue words to the segmenter, without the masking phrases', () => {
    const words = facetCueWords();
    expect(words).toContain('要带什么');
    expect(words).not.toContain('地址变更');
  });

  it('reports a cue listed under two facets, and unknown facets', () => {
    const table = parseFacetCues('materials\t要带什么\nfees\t要带什么\nprice\t多少钱\n');
    expect(table.problems).toEqual([
      { line: 2, message: '"要带什么" is already a materials cue on line 1' },
      { line: 3, message: 'unknown facet "price"' },
    ]);
  });

  it('works with any table, e.g. one written by staff', () => {
    const detect = createFacetDetector(parseFacetCues('fees\t價錢\nnone\t價錢表\n'));
    expect(detect('护照价钱')).toEqual({ facet: 'fees', cue: '价钱', rest: '护照' });
    expect(detect('价钱表')).toEqual({ facet: null, cue: null, rest: '价钱表' });
  });
});
