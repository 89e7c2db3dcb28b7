// Citizens' personal data never reaches a log or a staff screen unmasked.

// 18-digit resident ID numbers (last digit may be X) and old 15-digit ones.
const ID_CARD = /(?<![0-9A-Za-z])[1-9](?:\d{16}[\dXx]|\d{14})(?![0-9A-Za-z])/g;
// Mainland mobile numbers, optionally with +86 / 86.
const MOBILE = /(?<!\d)((?:\+?86[-\s]?)?1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)/g;
// Landlines such as 020-12345678 or 0755 1234 5678 (a service hotline like 12345 is left alone).
const LANDLINE = /(?<!\d)(0\d{2,3})[-\s]?(\d{3,4})[-\s]?(\d{4})(?!\d)/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(ID_CARD, (id) => `${id.slice(0, 6)}********${id.slice(-4)}`)
    .replace(MOBILE, (_m, head: string, _mid: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, area: string, _mid: string, tail: string) => `${area}-****${tail}`);
}
