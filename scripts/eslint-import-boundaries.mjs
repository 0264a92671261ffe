// Two import rules that ESLint's `no-restricted-imports` cannot say, because they depend on where the
// importing file is and where a relative path lands (docs/architecture.md, "Import rules"):
//   - stay-in-workspace: a relative import never leaves its workspace (packages/*, apps/*, e2e).
//     Another workspace is imported by its package name (`@townhall/crypto`), so the per-workspace
//     `no-restricted-imports` lists in eslint.config.mjs see every import between workspaces.
//   - no-cross-feature: in a browser app, `src/features/<a>/` never imports `src/features/<b>/`;
//     route files compose features, features do not know each other.
// Both resolve a relative specifier against the importing file, so `../../b/x.ts` is caught at any depth.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function repositoryPath(absolutePath) {
  return path.relative(repositoryRoot, absolutePath).split(path.sep).join('/');
}

// 'packages/crypto', 'apps/voter', 'e2e', or undefined for repository tools (.ci/, scripts/, docs/).
function workspaceOf(relativePath) {
  const [top, name] = relativePath.split('/');
  if ((top === 'packages' || top === 'apps') && name) return `${top}/${name}`;
  if (top === 'e2e') return 'e2e';
  return undefined;
}

// { app, feature } for apps/<app>/src/features/<feature>/..., else undefined.
function featureOf(relativePath) {
  const match = /^apps\/([^/]+)\/src\/features\/([^/]+)\//.exec(relativePath);
  return match ? { app: match[1], feature: match[2] } : undefined;
}

// Calls check(sourceNode) for every import with a literal specifier: static imports, re-exports and import().
function importVisitors(check) {
  const visit = (node) => {
    if (node.source && typeof node.source.value === 'string') check(node.source);
  };
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    ImportExpression: visit,
  };
}

function relativeTarget(context, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  return repositoryPath(path.resolve(path.dirname(context.filename), specifier));
}

const stayInWorkspace = {
  meta: {
    type: 'problem',
    docs: { description: 'A relative import stays inside its own workspace; other workspaces are imported by package name.' },
    schema: [
      {
        type: 'object',
        properties: { allow: { type: 'array', items: { type: 'string' }, description: 'repository paths (or folder prefixes ending in /) any workspace may import relatively' } },
        additionalProperties: false,
      },
    ],
    messages: {
      leaves: "'{{specifier}}' leaves {{from}} for {{to}}: import another workspace by its package name (docs/architecture.md, Import rules).",
    },
  },
  create(context) {
    const from = workspaceOf(repositoryPath(context.filename));
    if (!from) return {};
    const allow = context.options[0]?.allow ?? [];
    return importVisitors((source) => {
      const target = relativeTarget(context, source.value);
      if (target === undefined) return;
      if (allow.some((allowed) => (allowed.endsWith('/') ? target.startsWith(allowed) : target === allowed))) return;
      const to = workspaceOf(target);
      if (to && to !== from) context.report({ node: source, messageId: 'leaves', data: { specifier: source.value, from, to } });
    });
  },
};

const noCrossFeature = {
  meta: {
    type: 'problem',
    docs: { description: 'A feature of a browser app never imports another feature.' },
    schema: [],
    messages: {
      crosses:
        "features/{{from}} imports features/{{to}} ('{{specifier}}'): features never import features — move the shared part to src/lib or src/components of the app, or to @townhall/web-ui, or compose the two in a route (docs/architecture.md, Import rules).",
    },
  },
  create(context) {
    const from = featureOf(repositoryPath(context.filename));
    if (!from) return {};
    return importVisitors((source) => {
      const target = relativeTarget(context, source.value);
      if (target === undefined) return;
      const to = featureOf(target);
      if (to && to.app === from.app && to.feature !== from.feature) {
        context.report({ node: source, messageId: 'crosses', data: { specifier: source.value, from: from.feature, to: to.feature } });
      }
    });
  },
};

export default {
  meta: { name: 'townhall-import-boundaries' },
  rules: { 'stay-in-workspace': stayInWorkspace, 'no-cross-feature': noCrossFeature },
};
