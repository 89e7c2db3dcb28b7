// Where the citizen is: remembered for the conversation so that a matter's
// regional variant can be preferred.

// Prefecture-level cities of Guangdong (the Guangdong set's regions), the other
// provincial capitals and large cities, Taipei, and the demo city.
const guangdong = [
  '广州', '深圳', '珠海', '汕头', '佛山', '韶关', '湛江', '肇庆', '江门', '茂名', '惠州', '梅州', '汕尾', '河源',
  '阳江', '清远', '东莞', '中山', '潮州', '揭阳', '云浮',
];
const places = [
  ...guangdong,
  '北京', '上海', '天津', '重庆', '杭州', '南京', '武汉', '成都', '西安', '长沙', '郑州', '济南', '福州', '厦门',
  '南宁', '昆明', '贵阳', '海口', '南昌', '合肥', '太原', '石家庄', '沈阳', '长春', '哈尔滨', '呼和浩特', '兰州',
  '西宁', '银川', '乌鲁木齐', '拉萨', '青岛', '大连', '宁波', '苏州', '无锡', '香港', '澳门',
  '台北', '新北', '高雄', '台中', '台南', '桃园', '示例市',
];
// Named mostly as where one travels or comes from (港澳通行证, 香港的医师), not where one applies.
const destinations = new Set(['香港', '澳门']);

export interface RegionMention {
  region: string;
  /** The text with the mention taken out, e.g. "我在广州，护照怎么办" → "护照怎么办". */
  rest: string;
}

const framing = /(?:我)?(?:在|是|住在|人在|位于|户籍在|户口在)?$/;

export function detectRegion(plain: string): RegionMention | null {
  for (const place of places) {
    const at = plain.indexOf(place);
    if (at < 0) continue;
    const before = plain.slice(0, at).replace(framing, '');
    const after = plain.slice(at + place.length).replace(/^(?:市|省|的|这边|那边|这里)+/, '');
    return { region: place, rest: `${before} ${after}`.trim() };
  }
  return null;
}

/**
 * Whether a guide for `region` ("广东省", "广东省广州市", "示例市") can serve a
 * citizen who says they are in `place`: its region names the place, or is the
 * whole province the place lies in. Always true for places one mostly travels to.
 */
export function servesPlace(region: string, place: string): boolean {
  if (destinations.has(place) || region.includes(place)) return true;
  if (places.some((p) => region.includes(p))) return false;
  return guangdong.includes(place) && region.includes('广东');
}
