// The page side of the screen-text rule (app/test/ui/screen-text-rule.ts): collects every visible
// text node, placeholder and <option> label of the rendered page in Chromium, and checks touch
// targets and overflow.
import type { Page } from 'playwright-core';
import { screenTextProblems, type ScreenText } from '../ui/screen-text-rule.js';

export { latinWords, screenTextProblems, ALLOWED_TERMS, type ScreenText, type TextProblem } from '../ui/screen-text-rule.js';

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
