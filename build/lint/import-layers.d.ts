// Types of import-layers.js (plain JavaScript: eslint.config.js loads it without a TypeScript loader).
import type { ESLint, Rule } from 'eslint';

export function globToRegExp(glob: string): RegExp;
export const importDirection: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
