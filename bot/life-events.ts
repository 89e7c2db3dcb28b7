// "孩子出生了要办什么": a life event (出生, 身后事 …) asked as a whole, as governments
// bundle it (出生一件事). The event is matched to the knowledge base's own themes, so
// a knowledge base without that theme simply has no such answer.

/** Themes as the demo and the kiosk name them, and how citizens say the event. */
const LifeEvents: { theme: string; said: RegExp; intro: string }[] = [
  { theme: '出生', said: /孩子出生|宝宝出生|小孩出生|生了孩子|生了小孩|生孩子|新生儿|刚出生|出生了/, intro: '孩子出生后' },
  { theme: '上学', said: /上学|入学|上小学|上幼儿园|升学/, intro: '孩子上学' },
  { theme: '结婚', said: /结婚|领证/, intro: '结婚' },
  { theme: '购房', said: /买房|购房|买了房|买新房|买二手房|买了套房/, intro: '买房' },
  { theme: '开办企业', said: /开公司|开个公司|办企业|开个店|开店|创业/, intro: '开办企业' },
  { theme: '退休', said: /退休/, intro: '退休' },
  { theme: '身后事', said: /去世|过世|走了|身故|逝世|亡故|丧事|后事/, intro: '家人去世后' },
];

/** Asking what has to be done, not how one matter is done. */
const AsksWhatToDo = /(?:办|做|跑)(?:些|哪些|什么|啥)|什么手续|哪些手续|手续有哪些/;

export interface LifeEvent {
  theme: string;
  intro: string;
}

/** The life event a message asks the whole of, if any. */
export function detectLifeEvent(plain: string): LifeEvent | null {
  if (!AsksWhatToDo.test(plain)) return null;
  const event = LifeEvents.find((e) => e.said.test(plain));
  return event ? { theme: event.theme, intro: event.intro } : null;
}
