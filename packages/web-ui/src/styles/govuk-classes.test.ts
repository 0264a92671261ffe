// @vitest-environment node
/**
 * What axe cannot see: a GOV.UK class in an app's markup whose component Sass the app never
 * `@use`s renders as unstyled HTML (tiny native checkboxes, serif task lists, two-line text areas).
 * Each app's styles.scss is compiled as Vite compiles it, and every `govuk-*` class named in that
 * app's source and in the shared components must have a rule in the result.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, compileString } from 'sass';
import { describe, expect, it } from 'vitest';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const webUiStyles = resolve(repo, 'packages/web-ui/src/styles');

/** `@townhall/web-ui/styles/<name>` as the package's exports map it; the rest from node_modules. */
function compileAppStyles(app: string): string {
  return compile(resolve(repo, `apps/${app}/src/app/styles.scss`), {
    loadPaths: [resolve(repo, 'node_modules')],
    quietDeps: true,
    silenceDeprecations: ['import'],
    importers: [
      {
        findFileUrl(url) {
          const match = /^@townhall\/web-ui\/styles\/(.+)$/.exec(url);
          return match ? pathToFileURL(join(webUiStyles, `_${match[1]}.scss`)) : null;
        },
      },
    ],
  }).css;
}

/** Every rule GOV.UK Frontend has: a class it does not style (a markup hook such as govuk-table__row) needs none. */
const allGovukCss = compileString('@use "govuk-frontend/dist/govuk/index";', { loadPaths: [resolve(repo, 'node_modules')], quietDeps: true }).css;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The GOV.UK classes named in the source (utility classes `govuk-!-…` are checked separately by GOV.UK's own build). */
function govukClassesUsed(dirs: string[]): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of dirs.flatMap(sourceFiles)) {
    for (const [cls] of readFileSync(file, 'utf8').matchAll(/(?<![\w-])govuk-[a-z0-9]+(?:-[a-z0-9]+)*(?:__[a-z0-9]+(?:-[a-z0-9]+)*)?(?:--[a-z0-9]+(?:-[a-z0-9]+)*)?(?![\w-])/g)) {
      if (!used.has(cls)) used.set(cls, file.slice(repo.length + 1));
    }
  }
  return used;
}

describe.each(['voter', 'official', 'verifier'])('the %s app’s built CSS', (app) => {
  it('has rules for every govuk-* class its pages and the shared components use', () => {
    const css = compileAppStyles(app);
    const used = govukClassesUsed([resolve(repo, `apps/${app}/src`), resolve(repo, 'packages/web-ui/src/components')]);
    const styledByGovuk = (cls: string) => new RegExp(`\\.${cls}(?![\\w-])`).test(allGovukCss);
    const missing = [...used].filter(([cls]) => styledByGovuk(cls) && !new RegExp(`\\.${cls}(?![\\w-])`).test(css)).map(([cls, file]) => `${cls} (${file})`);
    expect(missing).toEqual([]);
  });
});
