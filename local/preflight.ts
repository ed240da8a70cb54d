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
