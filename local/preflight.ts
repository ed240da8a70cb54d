/**
 * Checks made before anything starts, so that a person gets one clear sentence instead of
 * a stack trace: a port already taken, Java missing or too old.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** An error whose message is meant for a person; start.ts prints it without a stack. */
export class PreflightError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreflightError';
  }
}

export interface PortClaim {
  /** what listens there, e.g. "The gateway" */
  label: string;
  port: number;
  /** the variable that changes it, e.g. "PORT" */
  envVar: string;
}

/** Resolves when `port` can be bound on `host`; rejects with PreflightError when it is taken. */
export function checkPortFree(claim: PortClaim, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
        const why = error.code === 'EACCES' ? 'is not allowed for this user' : 'is in use';
        reject(
          new PreflightError(
            `Port ${claim.port} ${why} (${claim.label}); set ${claim.envVar}=<another port>, e.g. ${claim.envVar}=${claim.port + 1} npm start`,
          ),
        );
      } else reject(error);
    });
    server.listen({ port: claim.port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Checks every port, and that no two of them are the same. */
export async function checkPortsFree(claims: readonly PortClaim[], host: string): Promise<void> {
  const seen = new Map<number, PortClaim>();
  for (const claim of claims) {
    const other = seen.get(claim.port);
    if (other) {
      throw new PreflightError(
        `${claim.envVar} and ${other.envVar} are both ${claim.port}; give each service its own port.`,
      );
    }
    seen.set(claim.port, claim);
  }
  for (const claim of claims) await checkPortFree(claim, host);
}

export const JAVA_HINT = 'DynamoDB Local needs Java 17+: apt-get install -y openjdk-17-jre-headless';

/** Runs `java -version`; rejects with PreflightError when Java is missing or older than 17. */
export function checkJava(command = 'java'): Promise<{ major: number }> {
  return new Promise((resolve, reject) => {
    let output = '';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, ['-version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch {
      reject(new PreflightError(`Java was not found. ${JAVA_HINT}`));
      return;
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', () => reject(new PreflightError(`Java was not found. ${JAVA_HINT}`)));
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new PreflightError(`\`java -version\` failed (exit ${code}). ${JAVA_HINT}`));
        return;
      }
      const major = parseJavaMajor(output);
      if (major !== undefined && major < 17) {
        reject(new PreflightError(`Java ${major} was found. ${JAVA_HINT}`));
        return;
      }
      resolve({ major: major ?? 17 });
    });
  });
}

/** "openjdk version \"17.0.15\"" → 17; "java version \"1.8.0_392\"" → 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?$/;

/**
 * CLOCK_START as an instant, or a sentence saying what is wrong with it. Strict: an ISO
 * date-time with its offset (the machine's time zone would silently shift a bare local
 * time), and a real calendar date (Date would roll 2026-02-30 over to March 2).
 */
export function parseClockStart(raw: string): Date | string {
  const example = 'e.g. 2026-11-23T09:00:00+08:00';
  const match = ISO_INSTANT.exec(raw.trim());
  if (!match) return `CLOCK_START must be an ISO instant, ${example}, got "${raw}".`;
  const [, y, mo, d, h, mi, s, offset] = match;
  if (!offset) {
    return `CLOCK_START needs its UTC offset (+08:00 for Shanghai, or Z), ${example}, got "${raw}".`;
  }
  const date = new Date(raw.trim().replace(' ', 'T'));
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s ?? '0'].map(Number) as number[];
  const sign = offset.toUpperCase() === 'Z' ? 0 : offset.startsWith('-') ? -1 : 1;
  const digits = offset.replace(/[^0-9]/g, '');
  const offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const real =
    Number.isFinite(date.getTime()) &&
    local.getUTCFullYear() === year &&
    local.getUTCMonth() + 1 === month &&
    local.getUTCDate() === day &&
    local.getUTCHours() === hour &&
    local.getUTCMinutes() === minute &&
    local.getUTCSeconds() === second;
  return real ? date : `CLOCK_START is not a real date and time, ${example}, got "${raw}".`;
}
