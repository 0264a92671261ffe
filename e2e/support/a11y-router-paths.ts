/**
 * The pages each app's router declares, read from its source with the TypeScript parser (the
 * routers render React and cannot be imported in Node). The accessibility suite compares this list
 * with its own registry (a11y-routes.ts), so a page added to a router without accessibility
 * coverage fails a test.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const repoRoot = resolve(import.meta.dirname, '../..');

export const APP_NAMES = ['voter', 'official', 'verifier'] as const;
export type AppName = (typeof APP_NAMES)[number];

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

/** The array literal a spread identifier names: an import from another file, or a const in this one. */
function resolveArray(name: string, file: string, source: ts.SourceFile): { array: ts.ArrayLiteralExpression; file: string; source: ts.SourceFile } {
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer && ts.isArrayLiteralExpression(declaration.initializer)) {
          return { array: declaration.initializer, file, source };
        }
      }
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => e.name.text === name)) {
        const target = resolve(dirname(file), statement.moduleSpecifier.text);
        if (!existsSync(target)) throw new Error(`${file}: cannot follow the import of ${name} (${target})`);
        return resolveArray(name, target, parse(target));
      }
    }
  }
  throw new Error(`${file}: cannot find the route array ${name}`);
}

function join(prefix: string, path: string): string {
  if (path.startsWith('/')) return path.slice(1);
  return prefix ? `${prefix}/${path}` : path;
}

/** Route patterns relative to the app's base, '' for the index page (e.g. '', 'enrol/check', 'elections/:electionId/vote', '*'). */
function walk(array: ts.ArrayLiteralExpression, prefix: string, file: string, source: ts.SourceFile, out: string[]): void {
  for (const element of array.elements) {
    if (ts.isSpreadElement(element)) {
      if (!ts.isIdentifier(element.expression)) throw new Error(`${file}: a spread of something other than a named route array`);
      const resolved = resolveArray(element.expression.text, file, source);
      walk(resolved.array, prefix, resolved.file, resolved.source, out);
      continue;
    }
    if (!ts.isObjectLiteralExpression(element)) throw new Error(`${file}: a route that is not an object literal: ${element.getText(source)}`);
    const path = property(element, 'path');
    if (path && !ts.isStringLiteral(path)) throw new Error(`${file}: a route path that is not a string literal`);
    const isIndex = property(element, 'index')?.kind === ts.SyntaxKind.TrueKeyword;
    const children = property(element, 'children');
    const full = path ? join(prefix, path.text) : prefix;
    if (children) {
      if (!ts.isArrayLiteralExpression(children)) throw new Error(`${file}: route children that are not an array literal`);
      walk(children, full, file, source, out);
    } else if (isIndex || path) {
      out.push(full);
    }
  }
}

export function routerPaths(app: AppName): string[] {
  const file = resolve(repoRoot, `apps/${app}/src/app/router.tsx`);
  const source = parse(file);
  let routes: ts.ArrayLiteralExpression | undefined;
  const find = (node: ts.Node): void => {
    if (!routes && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'createBrowserRouter') {
      const [first] = node.arguments;
      if (first && ts.isArrayLiteralExpression(first)) routes = first;
    }
    ts.forEachChild(node, find);
  };
  find(source);
  if (!routes) throw new Error(`${file}: no createBrowserRouter([...]) call`);
  const out: string[] = [];
  walk(routes, '', file, source, out);
  return out;
}
