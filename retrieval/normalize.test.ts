import { describe, expect, it } from 'vitest';
import { detectScript, foldTerm, normalize, toTraditional, withoutIdentifiers } from './normalize.ts';

describe('normalize', () => {
  it('converts Taiwan Traditional to Simplified and reports the script', () => {
    const n = normalize('護照過期要怎麼換？');
    expect(n).toEqual({ original: '護照過期要怎麼換？', text: '护照过期要怎么换', script: 'traditional' });
  });

  it('keeps Taiwan vocabulary for the lexicon to map (no phrase rewriting)', () => {
    // 'twp' would turn 資料 into 数据 and break the materials cue 资料.
    expect(normalize('需要準備哪些資料').text).toBe('需要准备哪些资料');
    expect(normalize('身分證遺失補辦').text).toBe('身分证遗失补办');
    expect(normalize('臺北市機車停車').text).toBe('台北市机车停车');
  });

  it('folds full-width letters, digits, punctuation and the ideographic space', () => {
    expect(normalize('ＡＰＰ上能办吗？').text).toBe('app上能办吗');
    expect(normalize('拨打１２３４５热线').text).toBe('拨打12345热线');
    expect(normalize('护照\u3000续签（个人）').text).toBe('护照 续签 个人');
  });

  it('folds punctuation and symbols to single spaces', () => {
    expect(normalize('身份证、户口本…都丢了！！怎么办？？').text).toBe('身份证 户口本 都丢了 怎么办');
    expect(normalize('「港澳通行证」→续签').text).toBe('港澳通行证 续签');
  });

  it('removes greetings and politeness phrases as whole phrases', () => {
    expect(normalize('你好，请问一下护照怎么办理？谢谢！').text).toBe('护照怎么办理');
    expect(normalize('麻烦问下社保卡在哪补办').text).toBe('社保卡在哪补办');
    expect(normalize('我想咨询一下教师资格认定').text).toBe('教师资格认定');
    expect(normalize('Hi, 我想问一下公积金').text).toBe('公积金');
  });

  it('does not break words that contain filler characters', () => {
    // 请 belongs to 申请 here, 问 to 访问, 一 to 统一.
    expect(normalize('社保申请问题').text).toBe('社保申请问题');
    expect(normalize('访问一下官网').text).toBe('访问官网');
    expect(normalize('材料统一下发').text).toBe('材料统一下发');
    expect(normalize('邀请函怎么开').text).toBe('邀请函怎么开');
  });

  it('drops 一下 only after a verb it softens', () => {
    expect(normalize('帮我查一下违章').text).toBe('帮我查违章');
    expect(normalize('介绍一下居住证').text).toBe('介绍居住证');
  });

  it('removes sentence-final particles only at clause ends', () => {
    expect(normalize('身份证丢了怎么办呢？').text).toBe('身份证丢了怎么办');
    expect(normalize('嗯，我想办护照啊').text).toBe('我想办护照');
    expect(normalize('能邮寄吧，还是要本人去呀').text).toBe('能邮寄 还是要本人去');
    // 吗 carries the question in 免费吗; 网吧 and 喇嘛 are words.
    expect(normalize('结婚登记免费吗').text).toBe('结婚登记免费吗');
    expect(normalize('开网吧').text).toBe('开网吧');
    expect(normalize('哪里可以办网吧？').text).toBe('哪里可以办网吧');
  });

  it('reads written Cantonese function and question words as their Mandarin equivalents', () => {
    expect(normalize('身份证喺边度补办？').text).toBe('身份证在哪里补办');
    expect(normalize('护照要几多钱，要几耐').text).toBe('护照要多少钱 要多久');
    expect(normalize('社保卡唔见咗点算').text).toBe('社保卡不见了怎么办');
    expect(normalize('使唔使本人去').text).toBe('是否需要本人去');
    // Mandarin words with the same characters stay: 系统, 关系.
    expect(normalize('系统登录不了').text).toBe('系统登录不了');
  });

  it('drops ID card and phone numbers from a message, which name no matter, and keeps years and the 12345 hotline', () => {
    expect(normalize(withoutIdentifiers('我的身份证44010619900101123X丢了')).text).toBe('我的身份证 丢了');
    expect(normalize(withoutIdentifiers('手机138-1234-5678，社保卡丢了')).text).toBe('手机 社保卡丢了');
    expect(normalize(withoutIdentifiers('2009年以前漏交的社保 打12345')).text).toBe('2009年以前漏交的社保 打12345');
  });

  it('normalises a message that is only a greeting to empty text', () => {
    expect(normalize('您好！').text).toBe('');
    expect(normalize('谢谢').text).toBe('');
  });
});

describe('detectScript', () => {
  it('reads Simplified text made of characters shared by both scripts as simplified', () => {
    // 么 alone converts to 幺 under T→S; in 怎么 it does not: context decides.
    expect(detectScript('身份证丢了怎么办')).toBe('simplified');
    // 著 is ordinary Simplified in 显著; it must not count as Traditional.
    expect(detectScript('重要商品价格显著上涨')).toBe('simplified');
    expect(normalize('价格显著上涨').text).toBe('价格显著上涨');
    // Every character here is the same in both scripts.
    expect(detectScript('公安局 12345')).toBe('simplified');
  });

  it('reads Taiwan text as traditional', () => {
    expect(detectScript('健保卡遺失')).toBe('traditional');
    expect(detectScript('臺北市')).toBe('traditional');
  });
});

describe('toTraditional and foldTerm', () => {
  it('writes replies back in Taiwan Traditional', () => {
    expect(toTraditional('护照过期要怎么换')).toBe('護照過期要怎麼換');
  });

  it('folds dictionary terms without touching their words', () => {
    expect(foldTerm('身分證')).toBe('身分证');
    expect(foldTerm('ＡＰＰ')).toBe('app');
    expect(foldTerm('谢谢')).toBe('谢谢');
  });
});
