// Announcement texts: replaceable templates with {placeholders}, Chinese by default.

export const DEFAULT_TEMPLATES: Readonly<Record<string, string>> = {
  welcome: '{name}，欢迎',
  goodbye: '{name}，再见',
  refused: '未通过，{reason}',
  not_enrolled: '未登记，请联系劳务员',
  id_expired: '身份证已过期，请联系劳务员',
  helmet_missing: '请佩戴安全帽',
  try_again: '请再试一次',
  card_read: '读卡成功',
};

/** Removes control characters and braces from a value and caps its length. */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return value.replace(/[\u0000-\u001f\u007f{}]/gu, '').slice(0, 64);
}

/** Fills `{key}` placeholders; a missing value becomes empty text. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>> = {}): string {
  return template
    .replace(/\{([a-zA-Z0-9_]+)\}/g, (_m, key: string) => (Object.hasOwn(values, key) ? clean(values[key] ?? '') : ''))
    .trim();
}
