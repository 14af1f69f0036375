// ESLint rule `layers/import-direction`: every file belongs to the first layer of the table
// (eslint.config.js) whose `files` match its path, and may import only what that layer allows.
// Unlike no-restricted-imports it resolves relative specifiers to the file they name (so
// `../../edge-core/src/../src/store/store.js` is the store, whatever its spelling) and it sees
// every way of loading a module, not only `import … from`:
//   import/export … from 'x', import('x'), import type T = import('x').T, import x = require('x'),
//   require('x') and require.resolve('x'), new Worker(new URL('./x.js', import.meta.url)) —
// and createRequire, a computed import(…) or require(…) are refused outright where the layer
// says so, since no rule can tell what they will load.
import { builtinModules } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';

const builtins = new Set(builtinModules.filter((m) => !m.startsWith('_')));

/** A glob (`*` within a path segment, `**` across segments) as a regular expression. */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` anything below.
      if (glob[i + 2] === '/') {
        re += '(?:[^/]+/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const cache = new Map();
function matches(globs, value) {
  return globs.some((g) => {
    let re = cache.get(g);
    if (!re) cache.set(g, (re = globToRegExp(g)));
    return re.test(value);
  });
}

const SOURCE_EXT = ['.ts', '.tsx', '.cts', '.mts', '.d.ts', '.js', '.cjs', '.mjs', '.json'];

/** The repository file a relative specifier names (`./x.js` is `x.ts` in our sources). */
function resolveFile(root, fromFile, spec) {
  const abs = path.resolve(path.dirname(path.join(root, fromFile)), spec);
  const rel = path.relative(root, abs).split(path.sep).join('/');
  if (existsSync(abs) && !abs.endsWith('.js')) return rel;
  const stem = rel.replace(/\.(c|m)?jsx?$/, '');
  for (const ext of SOURCE_EXT) if (existsSync(path.join(root, stem + ext))) return stem + ext;
  // Not on disk (a planted snippet, a file being written): assume TypeScript.
  return /\.(c|m)?jsx?$/.test(rel) ? `${stem}${rel.endsWith('.cjs') ? '.cts' : rel.endsWith('.mjs') ? '.mts' : '.ts'}` : rel;
}

/** The package a bare specifier loads: `@scope/name`, `name`, or `node:name` for a built-in. */
function packageOf(spec) {
  if (spec.startsWith('node:')) return `node:${spec.slice(5).split('/')[0]}`;
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtins.has(name) || builtins.has(spec) ? `node:${name}` : name;
}

/** @type {import('eslint').Rule.RuleModule} */
export const importDirection = {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only what the layer table of eslint.config.js allows.' },
    schema: [{ type: 'object', properties: { root: { type: 'string' }, layers: { type: 'array' } }, required: ['root', 'layers'], additionalProperties: false }],
    messages: {
      ours: '{{layer}} may not import {{target}}: {{why}}',
      outside: '{{layer}} may not import {{target}}: it is outside the repository.',
      pkg: '{{layer}} may not import the package {{target}}: {{why}}',
      computed: '{{layer}} may not load a module by a computed specifier ({{how}}): no rule can check what it loads. Use a literal path.',
      createRequire: '{{layer}} may not use createRequire: it loads modules past the import rules. {{why}}',
    },
  },
  create(context) {
    const { root, layers } = context.options[0];
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    if (file.startsWith('..')) return {};
    const layer = layers.find((l) => matches(l.files, file));
    if (!layer) return {};
    const allowedHere = (layer.exceptions ?? []).filter((e) => e.file === file).flatMap((e) => e.allow);
    const name = layer.name;

    function check(node, spec) {
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = resolveFile(root, file, spec);
        if (target.startsWith('..') || path.isAbsolute(target)) return context.report({ node, messageId: 'outside', data: { layer: name, target: spec } });
        if (allowedHere.includes(target)) return;
        if (!matches(layer.ours, target)) context.report({ node, messageId: 'ours', data: { layer: name, target, why: layer.why } });
        return;
      }
      const pkg = packageOf(spec);
      if (allowedHere.includes(pkg)) return;
      const p = layer.packages ?? {};
      const refused = (p.allow && !matches(p.allow, pkg)) || (p.deny && matches(p.deny, pkg));
      if (refused) context.report({ node, messageId: 'pkg', data: { layer: name, target: pkg, why: p.why ?? layer.why } });
    }
    /** A module reference that must be a literal where the layer is strict. */
    function checkArgument(node, arg, how) {
      if (arg && arg.type === 'Literal' && typeof arg.value === 'string') return check(arg, arg.value);
      if (arg && arg.type === 'TemplateLiteral' && arg.expressions.length === 0) return check(arg, arg.quasis[0].value.cooked);
      if (!layer.computedImports) context.report({ node, messageId: 'computed', data: { layer: name, how } });
    }
    // require('x'), require.resolve('x'), import.meta.resolve('x').
    const isRequire = (callee) =>
      (callee.type === 'Identifier' && callee.name === 'require') ||
      (callee.type === 'MemberExpression' &&
        !callee.computed &&
        callee.property.name === 'resolve' &&
        ((callee.object.type === 'Identifier' && callee.object.name === 'require') || callee.object.type === 'MetaProperty'));
    const isImportMetaUrl = (n) => n?.type === 'MemberExpression' && n.object.type === 'MetaProperty' && n.property.name === 'url';

    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => checkArgument(n, n.source, 'import(…)'),
      TSExternalModuleReference: (n) => checkArgument(n, n.expression, 'import … = require(…)'),
      TSImportType: (n) => {
        // typescript-eslint 8.x: `source`; older: `argument` (a literal type).
        const lit = 'source' in n ? n.source : (n.argument?.literal ?? n.argument);
        if (lit?.type === 'Literal' && typeof lit.value === 'string') check(n, lit.value);
      },
      CallExpression: (n) => {
        if (isRequire(n.callee)) checkArgument(n, n.arguments[0], n.callee.type === 'Identifier' ? 'require(…)' : 'resolve(…)');
      },
      NewExpression: (n) => {
        // A module file handed to a worker thread: new Worker(new URL('./w.js', import.meta.url)).
        if (n.callee.type === 'Identifier' && n.callee.name === 'URL' && isImportMetaUrl(n.arguments[1])) {
          const arg = n.arguments[0];
          if (arg?.type === 'Literal' && typeof arg.value === 'string' && /\.(c|m)?[jt]sx?$/.test(arg.value)) check(arg, arg.value);
        }
      },
      // import { createRequire } …, module.createRequire, const { createRequire } = …
      'ImportSpecifier, MemberExpression, ObjectPattern > Property'(n) {
        const id = n.type === 'ImportSpecifier' ? n.imported : n.type === 'Property' ? n.key : n.computed ? null : n.property;
        if (id?.name !== 'createRequire' || layer.createRequire || allowedHere.includes('createRequire')) return;
        context.report({ node: n, messageId: 'createRequire', data: { layer: name, why: layer.why } });
      },
    };
  },
};

export default { rules: { 'import-direction': importDirection } };
