// The kiosk's on-screen input: whole words and phrases instead of a pinyin or
// handwriting keyboard. Many older citizens never learnt pinyin, handwriting
// recognition would need a model on every terminal, and almost every question
// asked at a service hall is a matter plus what one wants to know about it
// ("身份证" + "丢了" + "怎么办理"). So a question is put together by tapping
// a few large keys; the digit pad covers numbers (ages, years, counts).
export const PhraseGroups = [
  {
    name: '常见问题',
    icon: 'chat',
    // Whole questions: one tap fills the box, a second sends it.
    phrases: [
      '孩子出生了怎么上户口', '身份证丢了怎么补办', '身份证过期了怎么换', '办护照要带什么材料',
      '结婚登记要带什么', '办理退休要什么材料', '社保卡丢了怎么办', '驾驶证到期怎么换证',
      '家里老人去世了要办什么', '车辆年检在哪里办',
    ],
  },
  {
    name: '办什么事',
    icon: 'list',
    phrases: [
      '身份证', '户口', '出生登记', '户口迁入', '户口迁出', '居住证', '护照', '港澳通行证', '台湾通行证',
      '结婚登记', '离婚登记', '结婚证', '社保卡', '办理退休', '养老金', '医保', '公积金',
      '驾驶证', '年检', '新车上牌', '死亡注销户口', '营业执照', '低保', '残疾人证',
    ],
  },
  {
    name: '想问什么',
    icon: 'speaker',
    phrases: [
      '要带什么材料', '在哪里办', '要多少钱', '多久能办好', '怎么办理', '能在网上办吗',
      '要什么条件', '咨询电话', '要跑几趟', '能代办吗', '一次性告知', '一步步来',
    ],
  },
  {
    name: '常用词',
    icon: 'keyboard',
    phrases: [
      '我想办', '怎么', '丢了', '过期了', '坏了', '补办', '换领', '首次办理', '孩子', '老人',
      '外地', '本地', '临时', '挂失', '谁可以办', '能不能', '转人工', '重新开始',
    ],
  },
  {
    name: '数字',
    icon: 'hash',
    digits: true,
    // A telephone-style pad (1 2 3 / 4 5 6 / 7 8 9 / 年 0 月), then the units dates and ages need.
    phrases: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '年', '0', '月', '日', '岁', '次'],
  },
];
