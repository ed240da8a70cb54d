/**
 * `npm run asl`: writes statemachines/complaint-journey.asl.json from the description
 * (statemachines/journey.ts). `--check` only compares, and fails when the committed file
 * differs (test/journey/asl.test.ts does the same).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { journey } from './journey.js';

export const ASL_FILE = fileURLToPath(new URL('./complaint-journey.asl.json', import.meta.url));

/** The ASL text the description generates (2-space JSON, final newline). */
export function generateAsl(): string {
  return `${JSON.stringify(journey, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = generateAsl();
  if (process.argv.includes('--check')) {
    if (readFileSync(ASL_FILE, 'utf8') !== text) {
      console.error(`${ASL_FILE} is stale: run npm run asl`);
      process.exit(1);
    }
  } else {
    writeFileSync(ASL_FILE, text);
    console.log(`wrote ${ASL_FILE}`);
  }
}
