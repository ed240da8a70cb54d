/**
 * A Chromium for the browser tests and the screenshots, driven by playwright-core, found
 * without root:
 *   1. `CHROMIUM_PATH`, when set (used as is; a wrong path is an error, not a fallback);
 *   2. an installed Chrome, Chromium or Edge on PATH or at the usual locations;
 *   3. the binary inside the npm package @sparticuz/chromium (an optional dependency, Linux
 *      x64), unpacked once into `node_modules/.cache/sparticuz-chromium-<version>/` — outside
 *      /tmp, so a cleaned /tmp does not cost a re-extract, and per version, so an upgrade
 *      unpacks the new one.
 * `findChromium()` says which one, or why none can run; the browser tests skip with that
 * line. The flags keep it headless and quiet on a machine with no outside network (Chromium's
 * background services would otherwise keep dialling out).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const INSTALLED_NAMES = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'microsoft-edge',
  'microsoft-edge-stable',
];
const INSTALLED_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/usr/bin/microsoft-edge',
  '/opt/microsoft/msedge/msedge',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
];

export type ChromiumSource = 'CHROMIUM_PATH' | 'installed' | '@sparticuz/chromium';
export type FoundChromium =
  | { ok: true; path: string; source: ChromiumSource }
  | { ok: false; reason: string };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function installedBrowser(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of INSTALLED_NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      if (executable(candidate)) return candidate;
    }
  }
  return INSTALLED_PATHS.find(executable);
}

/** Whether the binary starts at all (a missing shared library fails here, in one line). */
function runs(path: string): string | undefined {
  try {
    execFileSync(path, ['--headless', '--no-sandbox', '--version'], { stdio: 'pipe', timeout: 20_000 });
    return undefined;
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    const line = stderr.split('\n').find((l) => l.trim()) ?? (error as Error).message;
    return line.trim();
  }
}

/** Unpacks @sparticuz/chromium's binary into the version's cache folder; returns its path. */
async function sparticuzChromium(): Promise<FoundChromium> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      ok: false,
      reason: `no Chrome, Chromium or Edge installed, and @sparticuz/chromium ships Linux x64 only (this is ${process.platform}/${process.arch}); set CHROMIUM_PATH`,
    };
  }
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    // The package exports no ./package.json; its entry is <package>/build/cjs/index.cjs.
    packageDir = resolve(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  } catch {
    return {
      ok: false,
      reason:
        'no Chrome, Chromium or Edge installed and @sparticuz/chromium is not in node_modules (npm install); or set CHROMIUM_PATH',
    };
  }
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string })
    .version;
  const cacheDir = join(ROOT, 'node_modules', '.cache', `sparticuz-chromium-${version}`);
  const binary = join(cacheDir, 'chromium');
  if (!existsSync(binary)) {
    // The package unpacks into os.tmpdir(); point that at a private staging folder for the
    // call, then move the folder into place in one rename (two test files unpacking at once
    // each stage their own; the first rename wins, the other is dropped).
    const staging = `${cacheDir}.staging-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const savedTmp = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
    try {
      process.env.TMPDIR = staging;
      process.env.TMP = staging;
      process.env.TEMP = staging;
      const { default: Sparticuz } = await import('@sparticuz/chromium');
      await Sparticuz.executablePath(join(packageDir, 'bin'));
    } catch (error) {
      rmSync(staging, { recursive: true, force: true });
      return { ok: false, reason: `could not unpack @sparticuz/chromium: ${(error as Error).message}` };
    } finally {
      for (const [key, value] of Object.entries(savedTmp)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    try {
      renameSync(staging, cacheDir);
    } catch {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { ok: true, path: binary, source: '@sparticuz/chromium' };
}

let found: Promise<FoundChromium> | undefined;

/** The browser to drive, or the one-line reason none can run. Looked up once per process. */
export function findChromium(): Promise<FoundChromium> {
  found ??= (async (): Promise<FoundChromium> => {
    const fromEnv = process.env.CHROMIUM_PATH;
    if (fromEnv) {
      if (!executable(fromEnv))
        return { ok: false, reason: `CHROMIUM_PATH=${fromEnv} is not an executable file` };
      const failure = runs(fromEnv);
      return failure
        ? { ok: false, reason: `CHROMIUM_PATH=${fromEnv} does not run: ${failure}` }
        : { ok: true, path: fromEnv, source: 'CHROMIUM_PATH' };
    }
    const installed = installedBrowser();
    if (installed && !runs(installed)) return { ok: true, path: installed, source: 'installed' };
    const packaged = await sparticuzChromium();
    if (!packaged.ok) return packaged;
    const failure = runs(packaged.path);
    return failure
      ? { ok: false, reason: `@sparticuz/chromium (${packaged.path}) does not run here: ${failure}` }
      : packaged;
  })();
  return found;
}

export async function launchChromium(): Promise<Browser> {
  const browser = await findChromium();
  if (!browser.ok) throw new Error(`No browser for the tests: ${browser.reason}`);
  return chromium.launch({
    executablePath: browser.path,
    args: [
      '--headless',
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}
