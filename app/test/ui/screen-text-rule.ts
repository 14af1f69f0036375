// What may reach a Chinese screen, checked on the rendered page (not on the source): the e2e
// collects every visible text node, every visible placeholder and every <option> label, and
// `screenTextProblems` judges each one. The rule, precisely:
//
// 1. No JSON blob: text like {"a": …} or [{"…": …}] (an object key in quotes followed by a
//    colon) is a fault wherever it appears.
// 2. No raw code: snake_case words (no_id_photo), dotted codes (login.ok, helmet.action),
//    kebab-case ids (lane-1, turnstile-modbus) and "kind:id" references (worker:5, role:admin)
//    are faults. Numbers, dates, times and masked ID numbers are not codes.
// 3. No English-only or mixed text: a Latin word of two or more letters is a fault unless
//    (a) it is in ALLOWED_TERMS (brand and technical names a Chinese screen uses as such:
//        SiteGate, PIN, Excel, appsecret, USB…), or
//    (b) it is part of a token that also holds digits (DEMO-2026-001, v0.1.0), or
//    (c) the text sits in an element marked lang="en" whose parent element also holds Chinese
//        text: the English secondary line of a zh/en pair (the 月度考勤表 Monthly attendance
//        sheet heading; the "English" language switch in the Chinese top bar).
// 4. Verbatim values — file paths, URLs, serial-port names the person typed or the device has —
//    are marked data-verbatim by the screen and skipped by rules 2 and 3 (never by rule 1).
// The pure rule (Node, no DOM); e2e/screen-text.ts collects the page's text in Chromium.

export interface ScreenText {
  text: string;
  /** Inside an element marked data-verbatim (rules 2 and 3 do not apply). */
  verbatim: boolean;
  /** Inside lang="en" whose parent also holds Chinese: the secondary line of a zh/en pair. */
  enPair: boolean;
  /** A short CSS-like path of the element, for the failure message. */
  where: string;
}

export const ALLOWED_TERMS = new Set([
  'SiteGate',
  'PIN',
  'ID',
  'Excel',
  'XLSX',
  'CSV',
  'USB',
  'LCUS',
  'Modbus',
  'RS',
  'appsecret',
  'appId',
  'projectCode',
  'HTTPS',
  'URL',
  'RTSP',
  'MJPEG',
  'IP',
  'MB',
  'KB',
  'GB',
  'ms',
  'NASA',
]);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const JSON_BLOB = /[{[]\s*"[^"\n]{1,60}"\s*:/;
const RAW_CODES: Array<[RegExp, string]> = [
  [/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/, 'snake_case code'],
  [/\b[a-z][a-zA-Z]+\.[a-z][a-zA-Z_]+\b/, 'dotted code'],
  [/\b[a-z]+(?:-[a-z0-9]+)+\b/, 'kebab-case id'],
  [/\b[a-z]+:[a-z0-9]+\b/i, 'kind:id reference'],
];

/** Latin words of 2+ letters that are not part of a token with digits or a code separator. */
export function latinWords(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/[\s,，。；;：:、（）()【】[\]“”"'!?！？/|·—–]+/)) {
    if (!token || /\d/.test(token)) continue;
    for (const w of token.match(/[A-Za-z]{2,}/g) ?? []) out.push(w);
  }
  return out;
}

export interface TextProblem {
  rule: 'json' | 'raw-code' | 'english';
  text: string;
  detail: string;
  where: string;
}

export function screenTextProblems(items: readonly ScreenText[]): TextProblem[] {
  const problems: TextProblem[] = [];
  for (const it of items) {
    const text = it.text.trim();
    if (!text) continue;
    if (JSON_BLOB.test(text)) {
      problems.push({ rule: 'json', text, detail: 'JSON in the text', where: it.where });
      continue;
    }
    if (it.verbatim) continue;
    const code = RAW_CODES.find(([re]) => re.test(text));
    if (code) {
      problems.push({ rule: 'raw-code', text, detail: `${code[1]} "${code[0].exec(text)?.[0] ?? ''}"`, where: it.where });
      continue;
    }
    if (it.enPair) continue;
    const words = latinWords(text).filter((w) => !ALLOWED_TERMS.has(w));
    if (words.length > 0) {
      problems.push({
        rule: 'english',
        text,
        detail: `${CJK.test(text) ? 'mixed' : 'English-only'} text: ${words.slice(0, 4).join(' ')}`,
        where: it.where,
      });
    }
  }
  return problems;
}
