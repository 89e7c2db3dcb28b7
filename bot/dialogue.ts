// The dialogue manager: one turn in, one Reply out. It keeps the matter under
// discussion, the citizen's region and any open question (a clarification, a
// walkthrough, a rating) in the conversation state Botkit persists.
import { entryTitle, type Entry, type Facet, type Matter } from '../knowledge/index.ts';
import type { RetrievalResult, Retriever } from '../retrieval/index.ts';
import {
  RatingOptions, detectChoice, detectRating, detectSmalltalk, stepMove, wantsHuman, wantsRestart,
  wantsSheet, wantsWalkthrough, type Smalltalk,
} from './intents.ts';
import { detectLifeEvent } from './life-events.ts';
import { maskPersonalData } from './mask.ts';
import { Policy, familyConfidence } from './policy.ts';
import { detectRegion, servesPlace } from './region.ts';
import { FacetLabels, OfferedFacets, facetLines, renderFacet, renderSheet, renderStep } from './render/facets.ts';
import type { Candidate, Reply, ReplyKind } from './reply.ts';
import { describesSubCase, namesAnotherSubject, narrowVariants } from './variant-choice.ts';

interface ClarifyOption {
  entryId: string;
  label: string;
}

export type Pending =
  | { type: 'clarify'; text: string; facet: Facet | null; options: ClarifyOption[] }
  | { type: 'walkthrough'; entryId: string; index: number }
  | { type: 'rating' }
  | { type: 'rating_reason' };

export interface DialogueState {
  /** The entry under discussion, for follow-ups such as "那要多少钱". */
  topicId: string | null;
  region: string | null;
  pending: Pending | null;
  answered: number;
  rated: boolean;
  /** The facet last answered, for elliptical questions ("那港澳通行证呢"). */
  lastFacet?: Facet | null;
}

export function initialState(): DialogueState {
  return { topicId: null, region: null, pending: null, answered: 0, rated: false };
}

/** What a turn did besides replying, for the turn log. */
export interface TurnEffects {
  clarifiedFrom?: string;
  rating?: { rating: string; entryId: string | null };
  /** Why the last rating was 不满意. */
  ratingReason?: string;
  handoff?: boolean;
}

export interface DialogueDeps {
  retriever: Retriever;
}

export interface Turn {
  /** Plain Simplified text: converted, lower-cased, punctuation removed. */
  plain: string;
  /** What the user typed. */
  text: string;
}

/** Said when the citizen is to pick a matter and the part they asked about is understood already. */
const answersOnceChosen = (part: Facet): string => `选定后为您解答「${FacetLabels[part]}」。`;

const HOTLINE_LINE = '也可以拨打 12345 政务服务便民热线咨询，或回复“转人工”联系人工客服。';

function reply(kind: ReplyKind, text: string, fields: Partial<Reply> = {}): Reply {
  return { kind, text, entryId: null, facet: null, confidence: 0, candidates: [], quickReplies: [], ...fields };
}

function candidatesOf(result: RetrievalResult, n = 5): Candidate[] {
  return result.candidates.slice(0, n).map((c) => ({ entryId: c.entryId, title: c.title, score: c.score }));
}

/**
 * Of variants that differ only in where they are handled (one name, regions
 * 广东省 and 广东省广州市), the one whose region every other lies within: with
 * no place said, it is the one that serves the citizen wherever they are.
 */
function widest(matters: Matter[]): Matter[] {
  const first = matters[0];
  if (!first || matters.some((m) => m.name !== first.name)) return matters;
  const wide = matters.filter((m) => m.region && matters.every((o) => o.region?.includes(m.region!)));
  return wide.length === 1 ? wide : matters;
}

/** The option a joint reading puts first with no other option close to it, if any. */
function refinedOption(options: ClarifyOption[], together: RetrievalResult): string | null {
  const score = new Map(together.candidates.map((c) => [c.entryId, c.score]));
  const ranked = options.map((o) => ({ id: o.entryId, score: score.get(o.entryId) ?? 0 })).sort((a, b) => b.score - a.score);
  const [first, second] = ranked;
  return first && first.score > 0 && (second?.score ?? 0) < first.score * Policy.closeRatio ? first.id : null;
}

/** The citizen saying who they are ("我是企业职工", "本人属于低保户"), not what they want. */
const DescribesSelf = /^(?:我|本人)(?:是|属于)/;

/**
 * A closing 能…吗 or 要…吗 with no narrower cue ("我一个人去民政局能离吗", "要两个人一起去吗")
 * asks whether one may or must: a guide answers it with its conditions. Retrieval does
 * not read it so, as its FAQs ask 能…吗 about every part of a matter.
 */
const AsksMay = /(?:(?<![可功智技性])能(?!否)|可以|(?<![重主摘纪])要|必须|得)\S{0,12}吗$/;

/** A yes/no question, or one asking which, how much or why: what an FAQ answers. */
const YesNo = /吗|能不能|可不可以|是不是|是否|有没有|会不会|要不要|行不行|多少|几|哪|为什么|什么/;

/**
 * The first of each label: a knowledge base may hold one question twice (two
 * departments publish the same FAQ), and "2. X  3. X" leaves the citizen nothing to choose.
 */
function distinctLabels<T>(items: readonly T[], label: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = label(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The candidates a clarifying question offers: those scoring near the best. */
function closeCandidates(result: RetrievalResult): RetrievalResult['candidates'] {
  const best = result.candidates[0]?.score ?? 0;
  return result.candidates.slice(0, Policy.maxOptions).filter((c) => c.score >= best * Policy.closeRatio * 0.8);
}

export class Dialogue {
  private readonly deps: DialogueDeps;

  constructor(deps: DialogueDeps) {
    this.deps = deps;
  }

  isInterrupt(plain: string): boolean {
    return wantsHuman(plain) || wantsRestart(plain);
  }

  /** "转人工" and "重新开始" win over whatever is going on. */
  interrupt(state: DialogueState, turn: Turn): { reply: Reply; effects: TurnEffects } {
    if (wantsHuman(turn.plain)) {
      state.pending = null;
      return {
        reply: reply('handoff', '好的，正在为您转接人工客服，已把我们的对话记录转给工作人员，请稍候。人工服务时间：工作日 9:00-18:00；'
          + '非工作时间可拨打 12345 政务服务便民热线（24小时）。', { quickReplies: ['重新开始'] }),
        effects: { handoff: true },
      };
    }
    Object.assign(state, initialState());
    return { reply: this.welcome('好的，我们重新开始。'), effects: {} };
  }

  welcome(prefix = '您好，我是政务服务智能助手“办事”。'): Reply {
    return reply('smalltalk', `${prefix}您可以直接问我办事的问题，例如：“身份证丢了怎么补办”“护照要带什么材料”“公积金怎么提取”。`,
      { quickReplies: ['身份证丢了怎么补办', '办护照要带什么', '异地就医备案怎么办', '转人工'] });
  }

  async respond(state: DialogueState, turn: Turn): Promise<{ reply: Reply; effects: TurnEffects }> {
    const pending = state.pending;
    state.pending = null;
    if (pending) {
      const resumed = this.resume(state, pending, turn);
      if (resumed) return resumed;
    }
    // A bare choice ("2", "第二个") with no question open has nothing to pick from: searching
    // the knowledge base for "2" would only list unrelated topics.
    if (!pending && detectChoice(turn.plain, 9) !== null) {
      return { reply: this.welcome('现在没有待选择的选项。'), effects: {} };
    }
    const smalltalk = detectSmalltalk(turn.plain);
    if (smalltalk) return { reply: this.smalltalk(state, smalltalk), effects: {} };

    const mention = detectRegion(turn.plain);
    if (mention) {
      state.region = mention.region;
      if (mention.rest.replace(/\s/g, '').length === 0) return { reply: this.regionNoted(state, mention.region), effects: {} };
    }
    if (wantsSheet(turn.plain) || wantsWalkthrough(turn.plain)) {
      const special = await this.special(state, turn, pending?.type === 'clarify' ? pending : null);
      if (special) return { reply: special, effects: {} };
    }
    return { reply: await this.answerQuestion(state, turn, pending?.type === 'clarify' ? pending : null), effects: {} };
  }

  /** Continues an open question when the message answers it; null lets the turn go on as new. */
  private resume(state: DialogueState, pending: Pending, turn: Turn): { reply: Reply; effects: TurnEffects } | null {
    switch (pending.type) {
      case 'clarify': {
        const picked = this.pickOption(pending.options, turn.plain);
        if (!picked) return null;
        const entry = this.deps.retriever.entry(picked.entryId);
        if (!entry) return null;
        // An answer that asks something itself ("多久能拿到" matching an option) asks that facet.
        const facet = this.deps.retriever.analyze(turn.text).facet.facet ?? pending.facet;
        return { reply: this.answerEntry(state, entry, facet, 1), effects: { clarifiedFrom: pending.text } };
      }
      case 'walkthrough': {
        const move = stepMove(turn.plain);
        const entry = this.deps.retriever.entry(pending.entryId);
        if (!move || !entry || entry.kind !== 'matter') return null;
        if (move === 'end') {
          return { reply: reply('guide', '好的，办理流程就介绍到这里。还有其他问题可以继续问我。', { entryId: entry.id, facet: 'process', confidence: 1, quickReplies: ['一次性告知', '需要什么材料'] }), effects: {} };
        }
        const index = Math.max(0, Math.min(entry.steps.length - 1, pending.index + (move === 'next' ? 1 : -1)));
        return { reply: this.step(state, entry, index), effects: {} };
      }
      case 'rating': {
        const rating = detectRating(turn.plain);
        if (!rating) return null;
        state.rated = true;
        const effects = { rating: { rating, entryId: state.topicId } };
        if (rating === '不满意') {
          state.pending = { type: 'rating_reason' };
          return { reply: reply('rating', '很抱歉没能帮到您。可以告诉我哪里不满意吗？（也可以回复“跳过”）', { quickReplies: ['答案不对', '信息不全', '跳过'] }), effects };
        }
        return { reply: reply('rating', '感谢您的评价！祝您办事顺利。'), effects };
      }
      case 'rating_reason': {
        const skip = /^(跳过|没有|不用了?|算了)$/.test(turn.plain.replace(/\s/g, ''));
        return {
          reply: reply('rating', '感谢您的反馈，我们会据此改进。' + HOTLINE_LINE, { quickReplies: ['转人工'] }),
          effects: skip ? {} : { ratingReason: turn.text },
        };
      }
    }
  }

  private pickOption(options: ClarifyOption[], plain: string): ClarifyOption | null {
    const n = detectChoice(plain, options.length);
    if (n) return options[n - 1]!;
    const text = plain.replace(/\s/g, '');
    if (!text) return null;
    const hits = options.filter((o) => {
      const label = o.label.replace(/\s/g, '').toLowerCase();
      return label === text || label.includes(text) || text.includes(label);
    });
    return hits.length === 1 ? hits[0]! : null;
  }

  private smalltalk(state: DialogueState, kind: Smalltalk): Reply {
    switch (kind) {
      case 'greeting': return this.welcome();
      case 'identity':
        return reply('smalltalk', '我是政务服务智能助手“办事”，可以告诉您办理各类政务服务事项需要的材料、条件、费用、时限、地点和流程，'
          + '还能一次性列出全部办事清单、一步步带您办理。', { quickReplies: ['身份证丢了怎么补办', '一次性告知'] });
      case 'abuse':
        return reply('smalltalk', '理解您可能遇到了不顺心的事。我会尽力帮您把事情办好，请告诉我您想办理什么业务；' + HOTLINE_LINE, { quickReplies: ['转人工'] });
      case 'thanks':
      case 'goodbye':
        if (state.answered >= Policy.ratingAfterAnswers && !state.rated) {
          state.pending = { type: 'rating' };
          return reply('rating', `${kind === 'thanks' ? '不客气！' : '再见！'}请问您对本次服务满意吗？`,
            { quickReplies: [...RatingOptions], card: { type: 'rating', options: [...RatingOptions] } });
        }
        return reply('smalltalk', kind === 'thanks' ? '不客气，很高兴能帮到您！还有其他问题随时问我。' : '再见，祝您办事顺利！');
    }
  }

  private regionNoted(state: DialogueState, region: string): Reply {
    const topic = state.topicId ? this.deps.retriever.entry(state.topicId) : null;
    const members = topic?.kind === 'matter' ? this.deps.retriever.variantGroup(topic.id)?.members : undefined;
    if (members) {
      // The variant whose own description names the region, when exactly one does.
      const named = narrowVariants(members, region).filter((m) => `${m.distinguishing}${m.title}`.includes(region));
      const variant = named.length === 1 ? this.deps.retriever.entry(named[0]!.entryId) : null;
      if (variant?.kind === 'matter' && variant.id !== topic!.id) return this.answerEntry(state, variant, null, 1);
    }
    // Promise only what the knowledge base holds: a guide without a region serves everyone.
    const matters = this.deps.retriever.matters();
    if (matters.length > 0 && !matters.some((m) => !m.region || servesPlace(m.region, region))) {
      const regions = [...new Set(matters.map((m) => m.region!))].slice(0, 3).join('、');
      return reply('smalltalk', `好的，已记住您在${region}。我这里的办事指南适用于${regions}，${region}的办理要求请咨询当地政务服务中心，`
        + '或拨打 12345 政务服务便民热线。');
    }
    return reply('smalltalk', `好的，已记住您在${region}，会优先为您查找${region}的办事指南。请问您要办理什么事项？`);
  }

  /** 一次性告知 and 一步步来: for the matter named in the message, else the one under discussion. */
  private async special(state: DialogueState, turn: Turn, clarifying: Extract<Pending, { type: 'clarify' }> | null): Promise<Reply | null> {
    const result = await this.deps.retriever.search(turn.text);
    const named = result.query.tokens.length > 0 && result.confidence >= Policy.answer ? result.candidates[0]?.entryId : undefined;
    // Asked while a question is open, it is about the one guide among the options, if there is one.
    const offered = clarifying ? this.onlyGuide(clarifying.options, null)?.id : undefined;
    let entry = this.deps.retriever.entry(named ?? offered ?? state.topicId ?? '');
    if (entry) entry = this.deps.retriever.entry(this.matterOf(entry.id));
    if (!entry || entry.kind !== 'matter') {
      return reply('clarify', '请问您要办理哪个事项？告诉我事项名称，例如“身份证补领”，我再为您一次性列出全部办事信息。', { candidates: candidatesOf(result, 3) });
    }
    state.topicId = entry.id;
    if (wantsWalkthrough(turn.plain) && entry.steps.length > 0) return this.step(state, entry, 0);
    state.answered++;
    const rendered = renderSheet(entry);
    return reply('answer', rendered.text, {
      entryId: entry.id, facet: 'overview', confidence: Math.max(result.confidence, 0.9), card: rendered.card,
      quickReplies: entry.steps.length > 0 ? ['一步步来', '转人工'] : ['转人工'],
    });
  }

  private step(state: DialogueState, matter: Matter, index: number): Reply {
    state.topicId = matter.id;
    state.answered++;
    state.pending = { type: 'walkthrough', entryId: matter.id, index };
    const rendered = renderStep(matter, index);
    const quickReplies = [...(index > 0 ? ['上一步'] : []), ...(index + 1 < matter.steps.length ? ['下一步'] : []), '结束'];
    return reply('guide', rendered.text, { entryId: matter.id, facet: 'process', confidence: 1, card: rendered.card, quickReplies });
  }

  private async answerQuestion(state: DialogueState, turn: Turn, clarifying: Extract<Pending, { type: 'clarify' }> | null): Promise<Reply> {
    const alone = await this.deps.retriever.search(turn.text);
    const topic = state.topicId ? this.deps.retriever.entry(state.topicId) : null;
    // "那港澳通行证呢" asks the last question again about something else; an
    // unanswered clarifying question keeps the facet it was asked with.
    const elliptical = /呢$/.test(turn.plain.replace(/\s/g, ''));
    const facet = alone.query.facet.facet ?? (AsksMay.test(turn.plain) ? 'conditions' : null) ?? clarifying?.facet
      ?? (elliptical ? state.lastFacet ?? null : null);
    const asksFacet = alone.query.facet.facet !== null && alone.query.facet.facet !== 'overview';
    // A follow-up leans on the matter under discussion: it names no matter of its own ("那要多少钱").
    const namesNothing = alone.query.tokens.length === 0;
    // An open question comes first: "要准备什么" asks a guide's facet, which only a guide
    // among the options answers; with several, the question is put again.
    if (clarifying && namesNothing) {
      const guide = facet ? this.onlyGuide(clarifying.options, facet) : null;
      if (guide) return this.answerEntry(state, guide, facet, Math.max(alone.confidence, 0.8), alone);
      return this.clarify(state, clarifying.text, facet, clarifying.options, alone, '请先告诉我您想问的是哪一项：');
    }
    // "第一次申请" answering "社保卡：申领，还是挂失补换？" describes the sub-case of one of the
    // guides offered; unless the message itself clearly names something, that guide is meant.
    const described = clarifying ? this.describedGuide(clarifying.options, turn.plain, alone) : null;
    if (described) return this.answerEntry(state, described, facet, Math.max(alone.confidence, 0.8), alone);
    const subject = topic ? this.deps.retriever.entry(this.matterOf(topic.id)) ?? topic : topic;
    if (subject?.kind === 'matter' && facet && (namesNothing || alone.candidates[0]?.entryId === topic!.id)) {
      return this.answerEntry(state, subject, facet, Math.max(alone.confidence, 0.8), alone);
    }
    // Asked again in other words ("怎么补办" after 身份证丢了), the matter under discussion is
    // meant: the message names nothing its names do not, though alone it finds every 补办.
    if (topic && !clarifying && this.deps.retriever.restates(alone.query, topic.id)) {
      return this.answerEntry(state, topic, facet, Math.max(alone.confidence, 0.8), alone);
    }
    // Torn between entries ("怎么挂失": 身份证's FAQ or 社保卡's), the conversation decides
    // for one of the matter under discussion about as good as the best; not for a
    // message that finds nothing of its own ("帮我写篇二年级作文" after 小学报名).
    const torn = alone.confidence >= Policy.fallback && alone.confidence < Policy.answer;
    const ownEntry = subject?.kind === 'matter' && !clarifying && !namesNothing && !elliptical && torn
      ? alone.candidates.find((c) => this.matterOf(c.entryId) === subject.id && c.score >= alone.candidates[0]!.score * Policy.closeRatio)
      : undefined;
    const own = ownEntry ? this.deps.retriever.entry(ownEntry.entryId) : undefined;
    if (own) return this.answerEntry(state, own, facet, Math.max(alone.confidence, 0.8), alone);
    // A message that refines what came before ("丢了的那个", "买房用的") is also
    // read together with it; the joint reading wins when retrieval is surer of it
    // and the message itself points that way too (its own candidates include the
    // result), so an unrelated question is not pulled into the old topic.
    let result = alone;
    // An open question is read with the message only when the message itself comes near
    // one of its options ("买房用的" finds 购房提取 among its own best): "今天天气怎么样"
    // asked then is a message of its own, not a choice.
    // Who the citizen is ("我是企业职工") only describes the case an open question asks about,
    // however sure retrieval is of the words alone (企业 → 公司设立登记).
    const selfDescribed = clarifying !== null && DescribesSelf.test(turn.plain);
    const choosing = selfDescribed || (clarifying !== null && closeCandidates(alone)
      .some((c) => clarifying.options.some((o) => this.matterOf(o.entryId) === this.matterOf(c.entryId))));
    const context = (choosing ? clarifying.text : null) ?? (topic ? entryTitle(topic) : null);
    // An elliptical question ("那离婚呢") names its own subject, and a joint reading
    // that lands back on the topic adds nothing the follow-up rule above has not.
    // A message retrieval is already sure of alone needs no second reading, unless it answers an open question.
    const sureAlone = !clarifying && alone.confidence >= Policy.answer;
    if (context && !namesNothing && !elliptical && !sureAlone) {
      const together = await this.deps.retriever.search(`${context} ${turn.text}`);
      const best = together.candidates[0]?.entryId;
      // Read with an open question, the message refines the choice it offered when
      // the joint reading lands on one of its options and explains the message better
      // than the message alone ("驾照也丢了" names a matter of its own); it picks that
      // option when no other option comes close. A facet asked about the matter under
      // discussion ("前后要跑几次") is a follow-up, not a choice.
      const followUp = subject?.kind === 'matter' && asksFacet;
      const refines = (selfDescribed || together.confidence > alone.confidence) && clarifying?.options.some((o) => o.entryId === best);
      if (!followUp && clarifying && refines) {
        const picked = refinedOption(clarifying.options, together);
        const entry = picked ? this.deps.retriever.entry(picked) : null;
        if (entry) return this.answerEntry(state, entry, facet, together.confidence, together);
        result = together;
      } else if (together.confidence > alone.confidence && best !== topic?.id && alone.candidates.some((c) => c.entryId === best)) {
        result = together;
      }
    }
    const top = result.candidates[0];
    // Unsure what a facet question is about, it is about the matter under discussion;
    // not when it names another ("那买房提取呢"), which is asked about instead. Wording
    // that only asks for a matter ("我想买个房子") names a new request, not a part of this one.
    const namesAnother = elliptical && top !== undefined && this.matterOf(top.entryId) !== subject?.id;
    if (subject?.kind === 'matter' && facet && facet !== 'overview' && result.confidence < Policy.answer && !namesAnother
      && !this.namesElsewhere(alone, subject)) {
      return this.answerEntry(state, subject, facet, Math.max(result.confidence, 0.8), result);
    }
    // "孩子出生了要办什么" asks for all of a life event's matters, unless retrieval is sure of one.
    const event = result.confidence < Policy.answer ? this.lifeEvent(state, turn, result) : null;
    if (event) return event;
    if (!top || namesNothing || result.confidence < Policy.fallback) return this.fallback(result, state, facet);
    const text = turn.text;
    // Where the citizen said they are earlier counts as much as where they say it now.
    const place = detectRegion(turn.plain)?.region ?? state.region ?? undefined;
    if (place && !this.servedIn(result, place)) return this.elsewhere(result, place);

    const variants = this.variantChoice(state, result, facet);
    if (variants) return variants;
    const tied = result.features.familyMargin < Policy.tieMargin;
    if (!tied && (result.confidence >= Policy.answer || this.guideOfItsFamily(result))) {
      return this.answerEntry(state, this.plainRequestGuide(result, turn.plain, facet) ?? this.deps.retriever.entry(top.entryId)!, facet, result.confidence, result);
    }
    // Between the thresholds: ask rather than risk a wrong answer.
    const close = closeCandidates(result);
    const options = (close.length >= 2 ? close : result.candidates.slice(0, 3))
      .map((c) => ({ entryId: c.entryId, label: c.title }));
    return this.clarify(state, text, facet, options, result, '您想问的是下面哪一项？');
  }

  /** A life event's matter guides as one numbered question, when the knowledge base lists several under it. */
  private lifeEvent(state: DialogueState, turn: Turn, result: RetrievalResult): Reply | null {
    const event = detectLifeEvent(turn.plain);
    if (!event) return null;
    // Those whose main theme it is first: under 出生, 新生儿出生登记 before 社会保障卡申领.
    const rank = (m: Matter): number => m.themes.indexOf(event.theme);
    const matters = this.deps.retriever.matters().filter((m) => m.themes.includes(event.theme))
      .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name, 'zh-CN'));
    if (matters.length < 2) return null;
    const options = matters.slice(0, Policy.maxOptions).map((m) => ({ entryId: m.id, label: entryTitle(m) }));
    return this.clarify(state, turn.text, null, options, result, `${event.intro}通常需要办理以下事项：`);
  }

  /**
   * Near-identical matters (one catalogue matter per city or sub-case). When
   * retrieval is sure of the matter, the citizen's words (their region, the
   * sub-case they describe) pick the variant, and variants that would give the
   * same answer to what was asked need no choice; otherwise one short question
   * with the distinguishing labels. Unsure of the matter itself, this is not the
   * question to ask: the ordinary clarification offers the rival matters too.
   */
  private variantChoice(state: DialogueState, result: RetrievalResult, facet: Facet | null): Reply | null {
    const top = result.candidates[0]!;
    // Only the variants that retrieval itself finds about as good as the best, labelled
    // against each other, in the group's own (name) order: near-equal scores say
    // nothing about which the citizen means, and a stable order reads better.
    const close = result.candidates.filter((c) => c.score >= top.score * Policy.closeRatio).map((c) => c.entryId);
    const group = this.deps.retriever.variantGroup(top.entryId, close);
    if (!group) return null;
    const rivals = group.members;
    const meant = narrowVariants(rivals, `${result.query.normalized.text} ${state.region ?? ''}`);
    const matters = widest(meant.map((m) => this.deps.retriever.entry(m.entryId)).filter((e): e is Matter => e?.kind === 'matter'));
    const asked = facet && facet !== 'overview' ? facet : null;
    const same = asked !== null && new Set(matters.map((m) => facetLines(m, asked).join('\n'))).size === 1;
    // Of variants that answer alike, the one retrieval ranks best names the answer.
    const rank = (m: Matter): number => { const at = result.candidates.findIndex((c) => c.entryId === m.id); return at < 0 ? Infinity : at; };
    const first = same ? [...matters].sort((a, b) => rank(a) - rank(b))[0] : matters[0];
    // Any question would offer only these variants, and they answer alike: there is nothing to choose,
    // once retrieval is sure enough of the matter itself.
    const members = new Set(group.members.map((m) => m.entryId));
    if (same && first && familyConfidence(result) >= Policy.familyAnswer && closeCandidates(result).every((c) => members.has(c.entryId))) {
      return this.answerEntry(state, first, facet, result.confidence, result);
    }
    if (result.confidence < Policy.answer && familyConfidence(result) < Policy.answer) return null;
    if (first && (matters.length === 1 || same)) return this.answerEntry(state, first, facet, result.confidence, result);
    // The variants the citizen's words point to come first.
    const options = [...meant, ...rivals.filter((m) => !meant.includes(m))].slice(0, Policy.maxOptions)
      .map((m) => ({ entryId: m.entryId, label: m.distinguishing || m.title }));
    return this.clarify(state, result.query.normalized.original, facet, options, result,
      `「${group.baseName}」分为以下几种情形，请问您是哪一种？`);
  }

  /**
   * Whether the top entry is a matter guide and every close rival is one of its
   * own FAQs, with retrieval more sure than not of the matter (or one of its
   * variants, with retrieval sure of it: which variant is meant is otherwise the
   * variant question's to ask): a clarification would then only ask the citizen to
   * choose between the guide and narrower questions about the same matter that
   * they did not ask. Likewise an FAQ whose only close rival is its own matter's
   * guide: the broader answer, not another question.
   */
  private guideOfItsFamily(result: RetrievalResult): boolean {
    const top = result.candidates[0];
    const guide = top ? this.deps.retriever.entry(top.entryId) : null;
    const sure = familyConfidence(result);
    if (!guide || sure < Policy.familyAnswer) return false;
    if (guide.kind === 'faq') {
      return guide.matterId !== null && closeCandidates(result).every((c) => c.entryId === guide.id || c.entryId === guide.matterId);
    }
    const base = this.deps.retriever.variantGroup(guide.id)?.baseName;
    return closeCandidates(result).every((c) => {
      const entry = this.deps.retriever.entry(c.entryId);
      if (entry?.kind === 'faq') return entry.matterId === guide.id;
      return c.entryId === guide.id
        || (sure >= Policy.answer && base !== undefined && this.deps.retriever.variantGroup(c.entryId)?.baseName === base);
    });
  }

  /**
   * A plain request ("身份证到期了要换"), neither a question about one part of the guide
   * nor a yes/no question, wants the matter's guide: an FAQ of that matter ahead of the
   * guide by a hair asks something narrower ("…可以在外地换吗") than was asked.
   */
  private plainRequestGuide(result: RetrievalResult, plain: string, facet: Facet | null): Matter | null {
    const [top] = result.candidates;
    const faq = top ? this.deps.retriever.entry(top.entryId) : null;
    if (faq?.kind !== 'faq' || !faq.matterId || (facet && facet !== 'overview') || YesNo.test(plain)) return null;
    const guide = result.candidates.find((c) => c.entryId === faq.matterId);
    const entry = guide && guide.score >= top!.score * Policy.closeRatio ? this.deps.retriever.entry(guide.entryId) : null;
    return entry?.kind === 'matter' ? entry : null;
  }

  /** Whether the top candidate, or a close variant of it, is a guide for where the citizen says they are. */
  private servedIn(result: RetrievalResult, place: string): boolean {
    const top = this.deps.retriever.entry(result.candidates[0]!.entryId);
    if (top?.kind !== 'matter' || !top.region) return true;
    const variants = new Set(this.deps.retriever.variantGroup(top.id)?.members.map((m) => m.entryId) ?? [top.id]);
    return closeCandidates(result).some((c) => {
      const entry = this.deps.retriever.entry(c.entryId);
      return variants.has(c.entryId) && entry?.kind === 'matter' && servesPlace(entry.region ?? '', place);
    });
  }

  /** The guide found is for another region than the one the citizen named: say so rather than answer it. */
  private elsewhere(result: RetrievalResult, place: string): Reply {
    const top = this.deps.retriever.entry(result.candidates[0]!.entryId) as Matter;
    return reply('fallback', `抱歉，我找到的“${top.name}”是${top.region}的办事指南，不适用于${place}。${place}的办理要求请咨询当地政务服务中心，`
      + '或拨打 12345 政务服务便民热线。', {
      confidence: result.confidence, candidates: candidatesOf(result, 3), quickReplies: ['转人工'],
    });
  }

  private clarify(state: DialogueState, text: string, facet: Facet | null, offered: ClarifyOption[],
    result: RetrievalResult, question: string): Reply {
    const options = distinctLabels(offered, (o) => o.label);
    // Conversation state is stored too: personal data is masked before it is kept.
    state.pending = { type: 'clarify', text: maskPersonalData(text), facet, options };
    const scores = new Map(result.candidates.map((c) => [c.entryId, c.score]));
    const asked = options.length === 1
      ? `您是想问“${options[0]!.label}”吗？回复“是”查看，或换个说法再问。`
      : `${question}\n${options.map((o, i) => `${i + 1}. ${o.label}`).join('\n')}\n请回复序号或名称。`;
    // The part asked about is understood already, and said: only the matter is in question.
    const part = facet && facet !== 'overview' ? facet : null;
    return reply('clarify', part ? `${asked}\n${answersOnceChosen(part)}` : asked, {
      facet: part,
      confidence: result.confidence,
      candidates: options.map((o) => {
        const entry = this.deps.retriever.entry(o.entryId);
        return { entryId: o.entryId, title: entry ? entryTitle(entry) : o.label, score: scores.get(o.entryId) ?? 0 };
      }),
      quickReplies: options.map((o) => o.label),
      card: { type: 'options', options: options.map((o, i) => ({ n: i + 1, entryId: o.entryId, label: o.label })) },
    });
  }

  /**
   * Whether a message asks about another matter than the one under discussion: its own
   * reading does not come near that matter (its guide, FAQs or variants within the close
   * ratio of the best candidate), and it says a word of the name of the matter it does come to
   * ("团队游签注能网上办吗" after a passport: 签注, of 往来港澳通行证及签注). A follow-up in
   * words of its own ("小孩的要带什么", "外地人能办吗") names no matter.
   */
  private namesElsewhere(result: RetrievalResult, subject: Matter): boolean {
    const base = this.deps.retriever.variantGroup(subject.id)?.baseName;
    const best = result.candidates[0]?.score ?? 0;
    const near = result.candidates.some((c) => c.score >= best * Policy.closeRatio && (this.matterOf(c.entryId) === subject.id
      || (base !== undefined && this.deps.retriever.variantGroup(c.entryId)?.baseName === base)));
    const top = result.candidates[0];
    const other = top && !near ? this.deps.retriever.entry(this.matterOf(top.entryId)) : null;
    if (other?.kind !== 'matter') return false;
    const names = (m: Matter): string => this.deps.retriever.analyze([m.name, ...m.aliases].join(' ')).normalized.text;
    const theirs = names(other);
    const ours = names(subject);
    return result.query.tokens.some((t) => [...t].length >= 2 && theirs.includes(t) && !ours.includes(t));
  }

  /** The matter an entry is about: an FAQ's linked matter, else the entry itself. */
  private matterOf(entryId: string): string {
    const entry = this.deps.retriever.entry(entryId);
    return entry?.kind === 'faq' && entry.matterId ? entry.matterId : entryId;
  }

  /**
   * The one guide among the options whose sub-case the citizen's words describe, if
   * their words leave one and name nothing the options do not.
   */
  private describedGuide(options: ClarifyOption[], said: string, result: RetrievalResult): Matter | null {
    if (!describesSubCase(said)) return null;
    const guides = options.map((o) => this.deps.retriever.entry(o.entryId)).filter((e): e is Matter => e?.kind === 'matter');
    if (guides.length < 2) return null;
    const found = result.candidates.slice(0, 3).map((c) => c.title);
    if (namesAnotherSubject(said, options.map((o) => o.label), found)) return null;
    const meant = narrowVariants(guides.map((m) => ({ entryId: m.id, title: m.name, distinguishing: m.name })), said);
    return meant.length === 1 ? guides.find((m) => m.id === meant[0]!.entryId) ?? null : null;
  }

  /** The one matter guide among a question's options (an FAQ counting as its guide), unless an FAQ itself asks the facet. */
  private onlyGuide(options: ClarifyOption[], facet: Facet | null): Matter | null {
    const guides = new Set<string>();
    for (const option of options) {
      const entry = this.deps.retriever.entry(option.entryId);
      if (entry?.kind === 'matter') guides.add(entry.id);
      else if (entry?.kind === 'faq' && entry.matterId) guides.add(entry.matterId);
      else if (entry?.kind === 'faq' && facet && this.deps.retriever.analyze(entry.question).facet.facet === facet) return null;
    }
    const guide = guides.size === 1 ? this.deps.retriever.entry([...guides][0]!) : null;
    return guide?.kind === 'matter' ? guide : null;
  }

  /**
   * Says so, and lists the closest topics as numbered options that stay open: the
   * citizen may answer "2", or say more, which is read together with this question.
   */
  private fallback(result: RetrievalResult, state: DialogueState, facet: Facet | null): Reply {
    const near = result.query.tokens.length > 0 ? distinctLabels(result.candidates, (c) => c.title).slice(0, 3) : [];
    if (near.length > 0) {
      state.pending = {
        type: 'clarify', text: maskPersonalData(result.query.normalized.original), facet,
        options: near.map((c) => ({ entryId: c.entryId, label: c.title })),
      };
    }
    // As with a clarifying question, the part asked about is understood and kept for the topic picked.
    const part = near.length > 0 && facet && facet !== 'overview' ? facet : null;
    const text = near.length > 0
      ? `抱歉，我没有找到能准确回答这个问题的内容。您可能想了解：\n${near.map((c, i) => `${i + 1}. ${c.title}`).join('\n')}\n`
        + `${part ? answersOnceChosen(part) : ''}${HOTLINE_LINE}`
      : `抱歉，这个问题我暂时回答不了。我可以解答政务服务办事方面的问题，比如办证需要的材料、条件、费用和地点。${HOTLINE_LINE}`;
    return reply('fallback', text, {
      facet: part,
      confidence: result.confidence, candidates: near.length > 0 ? near.map(({ entryId, title, score }) => ({ entryId, title, score })) : candidatesOf(result, 3),
      quickReplies: [...near.map((c) => c.title), '转人工'],
    });
  }

  private answerEntry(state: DialogueState, entry: Entry, facet: Facet | null, confidence: number, result?: RetrievalResult): Reply {
    const before = state.topicId;
    state.topicId = entry.id;
    state.answered++;
    const candidates = result ? candidatesOf(result) : [{ entryId: entry.id, title: entryTitle(entry), score: 1 }];
    if (entry.kind === 'faq') {
      // The facet is what the citizen asked about; an FAQ answers it in its own words. Away
      // from the matter under discussion ("要体检吗" after 驾照丢了, answered for 换驾照), it
      // says which question it answers, so the answer is not taken for that matter's.
      const elsewhere = before !== null && this.matterOf(before) !== this.matterOf(entry.id);
      return reply('answer', elsewhere ? `关于“${entry.question}”：\n${entry.answer}` : entry.answer, {
        entryId: entry.id, facet: facet === 'overview' ? null : facet, confidence, candidates,
        quickReplies: entry.followUps.length > 0 ? entry.followUps : ['转人工'],
      });
    }
    const shown: Facet = facet ?? 'overview';
    state.lastFacet = shown === 'overview' ? null : shown;
    const rendered = renderFacet(entry, shown);
    if (shown === 'process' && entry.steps.length > 1) {
      return reply('answer', rendered.text, {
        entryId: entry.id, facet: shown, confidence, candidates, quickReplies: ['一步步来', '需要什么材料', '一次性告知'],
      });
    }
    const quickReplies = shown === 'overview'
      ? OfferedFacets.slice(0, 6).map((f) => FacetLabels[f])
      : ['一次性告知', ...OfferedFacets.filter((f) => f !== shown).slice(0, 3).map((f) => FacetLabels[f])];
    return reply('answer', rendered.text, { entryId: entry.id, facet: shown, confidence, candidates, quickReplies, ...(rendered.card ? { card: rendered.card } : {}) });
  }
}
