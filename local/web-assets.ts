/**
 * The two files the local gateway makes rather than reads from web/ (interfaces 2 and 3 of
 * the pages): `/config.js` = web/config.js with the branding of config/branding.json filled
 * in, and `/vendor/<name>` = the browser library web/vendor.json maps to a file in
 * node_modules. Anything else: undefined (the gateway serves web/ as it is).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { configJs, loadBranding } from './branding.js';

export interface WebAsset {
  body: Buffer;
  contentType: string;
}

const JS = 'text/javascript; charset=utf-8';

/** web/vendor.json: served name → path inside node_modules. */
export async function vendorMap(webDir: string): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(webDir, 'vendor.json'), 'utf8')) as Record<string, string>;
}

/** The file in node_modules of a package path such as `oidc-client-ts/dist/browser/x.js`. */
export function vendorFile(webDir: string, packagePath: string): string {
  const require = createRequire(join(resolve(webDir, '..'), 'package.json'));
  const [scopeOrName, maybeName] = packagePath.split('/');
  const packageName = scopeOrName?.startsWith('@') ? `${scopeOrName}/${maybeName}` : (scopeOrName ?? '');
  const rest = packagePath.slice(packageName.length + 1);
  // a package's entry point, then up to its folder (package.json is often not exported)
  let dir = dirname(require.resolve(packageName));
  while (!dir.endsWith(join('node_modules', packageName)) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, rest);
}

export async function webAsset(webDir: string, path: string): Promise<WebAsset | undefined> {
  if (path === '/config.js') {
    const source = await readFile(join(webDir, 'config.js'), 'utf8');
    const branding = loadBranding(resolve(webDir, '..'));
    return { body: Buffer.from(configJs(source, branding)), contentType: JS };
  }
  const vendor = /^\/vendor\/([A-Za-z0-9._-]+)$/.exec(path);
  if (vendor?.[1]) {
    const packagePath = (await vendorMap(webDir))[vendor[1]];
    if (!packagePath) return undefined;
    return { body: await readFile(vendorFile(webDir, packagePath)), contentType: JS };
  }
  return undefined;
}
