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
import type { Page } from 'playwright-core';

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

/** Every visible text of the page as the rule sees it (runs in the browser). */
export async function collectScreenText(page: Page): Promise<ScreenText[]> {
  return page.evaluate(() => {
    const cjk = /[\u3400-\u9fff\uf900-\ufaff]/;
    const out: Array<{ text: string; verbatim: boolean; enPair: boolean; where: string }> = [];
    const visible = (el: Element): boolean => {
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const where = (el: Element): string => {
      const parts: string[] = [];
      for (let e: Element | null = el; e && parts.length < 3; e = e.parentElement) {
        const id = e.getAttribute('data-testid');
        parts.unshift(id ? `[${id}]` : `${e.tagName.toLowerCase()}${e.classList[0] ? `.${e.classList[0]}` : ''}`);
      }
      return parts.join(' > ');
    };
    const context = (el: Element) => {
      const verbatim = el.closest('[data-verbatim]') !== null;
      const en = el.closest('[lang="en"]');
      const enPair = en !== null && en !== document.documentElement && cjk.test(en.parentElement?.textContent ?? '');
      return { verbatim, enPair };
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent ?? '';
      if (!el || !text.trim()) continue;
      if (el.closest('script, style, option, datalist, select')) continue;
      if (!visible(el)) continue;
      out.push({ text, ...context(el), where: where(el) });
    }
    for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
      if (!visible(el)) continue;
      out.push({ text: el.getAttribute('placeholder') ?? '', ...context(el), where: `${where(el)}@placeholder` });
    }
    for (const sel of document.querySelectorAll('select')) {
      if (!visible(sel)) continue;
      for (const o of sel.querySelectorAll('option')) out.push({ text: o.textContent ?? '', ...context(sel), where: `${where(sel)} option` });
    }
    return out;
  });
}

export interface TouchProblem {
  what: string;
  width: number;
  height: number;
}

/**
 * Finger-size targets: every visible link, button, select, text field and <summary>, and the
 * label of every checkbox, is at least 44×44 CSS px (Apple HIG / WCAG 2.5.5).
 */
export async function touchTargetProblems(page: Page, min = 44): Promise<TouchProblem[]> {
  return page.evaluate((minPx) => {
    const out: Array<{ what: string; width: number; height: number }> = [];
    const els = document.querySelectorAll('a[href], button, select, input, textarea, summary');
    for (const el of els) {
      let target: Element = el;
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) target = el.closest('label') ?? el;
      if (el instanceof HTMLInputElement && el.type === 'hidden') continue;
      const s = getComputedStyle(target);
      if (s.display === 'none' || s.visibility === 'hidden') continue;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      // Sub-pixel layout: 43.9 px is 44 px on screen.
      if (r.width + 0.5 < minPx || r.height + 0.5 < minPx) {
        const id = target.getAttribute('data-testid');
        const label = (target.textContent ?? '').trim().slice(0, 24);
        out.push({ what: `${target.tagName.toLowerCase()}${id ? `[${id}]` : ''} "${label}"`, width: Math.round(r.width), height: Math.round(r.height) });
      }
    }
    return out;
  }, min);
}

/** No horizontal scrollbar on the page, and no card whose content is cut off sideways. */
export async function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const d = document.documentElement;
    if (d.scrollWidth > d.clientWidth + 1) out.push(`page ${d.scrollWidth} > ${d.clientWidth}`);
    for (const el of document.querySelectorAll('.card, section, table')) {
      const s = getComputedStyle(el);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll') continue;
      const r = el.getBoundingClientRect();
      if (r.right > d.clientWidth + 1) out.push(`${el.getAttribute('data-testid') ?? el.tagName.toLowerCase()} ends at ${Math.round(r.right)} > ${d.clientWidth}`);
    }
    return out;
  });
}

/**
 * The checks of one Chinese screen: its text (rules above), touch targets and width. Returns
 * the problems found, named with the screen, so one assertion shows them all.
 */
export async function checkChineseScreen(page: Page, screen: string): Promise<string[]> {
  const text = screenTextProblems(await collectScreenText(page)).map((p) => `${screen}: ${p.rule} (${p.detail}) in "${p.text.slice(0, 80)}" at ${p.where}`);
  const touch = (await touchTargetProblems(page)).map((p) => `${screen}: touch target ${p.what} is ${p.width}×${p.height} px`);
  const overflow = (await overflowProblems(page)).map((p) => `${screen}: overflow ${p}`);
  return [...text, ...touch, ...overflow];
}
