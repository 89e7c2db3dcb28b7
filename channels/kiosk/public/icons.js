// Line icons drawn inline (24×24, stroked in the text colour): every tile and
// state carries a picture as well as words, so nothing depends on colour alone,
// and no icon font or image has to come from the network.
const SVG = 'http://www.w3.org/2000/svg';

const paths = {
  // Life events
  出生: ['M12 21a7 7 0 1 0 0-14a7 7 0 1 0 0 14z', 'M9.5 13h.01', 'M14.5 13h.01', 'M10 16.5c1.2.9 2.8.9 4 0', 'M12 7c0-2 1.5-3.5 3.5-3'],
  上学: ['M4 5h6a2 2 0 0 1 2 2v13a2 2 0 0 0-2-2H4z', 'M20 5h-6a2 2 0 0 0-2 2v13a2 2 0 0 1 2-2h6z'],
  就业: ['M5 7h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2z', 'M9 7V5a1 1 0 0 1 1-1h4a1 1 0 0 1 1 1v2', 'M3 13h18'],
  结婚: ['M9 19a5 5 0 1 0 0-10a5 5 0 1 0 0 10z', 'M15 19a5 5 0 1 0 0-10a5 5 0 1 0 0 10z', 'M7 6l2-2 2 2'],
  生育: ['M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z'],
  购房: ['M3 11l9-7 9 7', 'M5 10v10h14V10', 'M10 20v-6h4v6'],
  出行: ['M4 16v-4l2-5h12l2 5v4z', 'M7.5 19a1.5 1.5 0 1 0 0-3a1.5 1.5 0 1 0 0 3z', 'M16.5 19a1.5 1.5 0 1 0 0-3a1.5 1.5 0 1 0 0 3z', 'M4 12h16'],
  开办企业: ['M4 10v10h16V10', 'M3 10l2-6h14l2 6z', 'M10 20v-5h4v5'],
  社会保障: ['M12 3l8 3v6c0 5-3.5 8-8 9c-4.5-1-8-4-8-9V6z', 'M8.5 12l2.5 2.5 4.5-4.5'],
  医疗: ['M10 4h4v6h6v4h-6v6h-4v-6H4v-4h6z'],
  退休: ['M6 11V7a2 2 0 0 1 2-2h8a2 2 0 0 1 2 2v4', 'M4 11a2 2 0 0 1 2 2v2h12v-2a2 2 0 0 1 4 0v5H2v-5a2 2 0 0 1 2-2z', 'M5 18v2', 'M19 18v2'],
  养老: ['M10 7a2 2 0 1 0 0-4a2 2 0 1 0 0 4z', 'M10 9v6l-2 6', 'M10 15l3 6', 'M10 10l4 3', 'M16 13v8'],
  身后事: ['M12 21v-8', 'M12 13c-4 0-6-3-6-7c3 0 6 2 6 7z', 'M12 13c4 0 6-3 6-7c-3 0-6 2-6 7z', 'M12 13c-1.5-3-1.5-6 0-9c1.5 3 1.5 6 0 9z'],
  证件办理: ['M5 5h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V7a2 2 0 0 1 2-2z', 'M9 12a2 2 0 1 0 0-4a2 2 0 1 0 0 4z', 'M6 16c.5-1.5 1.5-2 3-2s2.5.5 3 2', 'M14 10h4', 'M14 14h4'],
  救助: ['M12 11s-3-2-3-4a1.5 1.5 0 0 1 3-1a1.5 1.5 0 0 1 3 1c0 2-3 4-3 4z', 'M3 15h4l3 2h4a1.5 1.5 0 0 1 0 3H9', 'M14 20l6-3a1.5 1.5 0 0 0-1-3l-5 2'],
  法律服务: ['M12 4v16', 'M7 20h10', 'M5 7h14', 'M5 7l-3 6a3 3 0 0 0 6 0z', 'M19 7l-3 6a3 3 0 0 0 6 0z'],
  // Interface
  folder: ['M3 6a1 1 0 0 1 1-1h5l2 2h9a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1z'],
  building: ['M4 21V5l8-2 8 2v16', 'M2 21h20', 'M8 9h2', 'M14 9h2', 'M8 13h2', 'M14 13h2', 'M10 21v-4h4v4'],
  home: ['M3 11l9-7 9 7', 'M5 10v10h14V10'],
  back: ['M15 5l-7 7 7 7'],
  speaker: ['M4 9h4l5-4v14l-5-4H4z', 'M16 9a4 4 0 0 1 0 6', 'M18.5 6.5a8 8 0 0 1 0 11'],
  stop: ['M7 7h10v10H7z'],
  print: ['M6 9V3h12v6', 'M6 18H4a1 1 0 0 1-1-1v-6a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v6a1 1 0 0 1-1 1h-2', 'M6 14h12v7H6z'],
  keyboard: ['M3 6h18a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z', 'M6 10h.01', 'M10 10h.01', 'M14 10h.01', 'M18 10h.01', 'M7 14h10'],
  send: ['M4 12h14', 'M13 6l6 6-6 6'],
  clock: ['M12 21a9 9 0 1 0 0-18a9 9 0 1 0 0 18z', 'M12 7v5l3 2'],
  check: ['M5 12l5 5 9-10'],
  cross: ['M6 6l12 12', 'M18 6L6 18'],
  glasses: ['M7 17a3 3 0 1 0 0-6a3 3 0 1 0 0 6z', 'M17 17a3 3 0 1 0 0-6a3 3 0 1 0 0 6z', 'M10 14h4', 'M4 14L3 8', 'M20 14l1-6'],
  backspace: ['M9 5h11a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H9l-6-7z', 'M12 9l6 6', 'M18 9l-6 6'],
  erase: ['M4 7h16', 'M9 7V4h6v3', 'M6 7l1 13h10l1-13'],
  hash: ['M5 9h14', 'M5 15h14', 'M10 4L8 20', 'M16 4l-2 16'],
  qr: ['M4 4h6v6H4z', 'M14 4h6v6h-6z', 'M4 14h6v6H4z', 'M14 14h2v2h-2z', 'M18 18h2v2h-2z', 'M14 18h2', 'M18 14h2'],
  person: ['M12 11a4 4 0 1 0 0-8a4 4 0 1 0 0 8z', 'M4 21a8 8 0 0 1 16 0'],
  assistant: ['M5 8h14a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2z', 'M12 8V4', 'M9 13h.01', 'M15 13h.01', 'M10 16h4'],
  warning: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18h.01'],
  list: ['M8 6h13', 'M8 12h13', 'M8 18h13', 'M3 6h.01', 'M3 12h.01', 'M3 18h.01'],
  chat: ['M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H9l-5 4V6a1 1 0 0 1 1-1z'],
  required: ['M12 21a9 9 0 1 0 0-18a9 9 0 1 0 0 18z', 'M12 7v6', 'M12 16.5h.01'],
  optional: ['M12 21a9 9 0 1 0 0-18a9 9 0 1 0 0 18z', 'M9 12h6'],
};

/** An inline SVG icon, hidden from screen readers: the words next to it say the same. */
export function icon(name) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const d of paths[name] ?? paths.folder) {
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
