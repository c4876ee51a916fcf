// Secrets mounted as files by the Secrets Store CSI driver (https://secrets-store-csi-driver.sigs.k8s.io/topics/secret-auto-rotation):
// each file is named after the variable it holds (objectAlias in the SecretProviderClass). The driver
// rewrites the files when Key Vault rotates a secret; `watchSecretFiles` polls them so the server can
// rebuild the affected platform handler without a restart.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FILE_VARIABLES } from "../config.js";

/** A secret is a line of text; anything bigger is a mistake, not a token. */
const MAX_SECRET_FILE_BYTES = 16 * 1024;

export class SecretFilesError extends Error {
  override name = "SecretFilesError";
}

/**
 * Reads the known variable names from `dir`. Missing files are simply absent; an unreadable
 * directory or an oversized file is an error (the message names the file, never its content).
 */
export function readSecretFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILE_VARIABLES) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), "utf8");
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue;
      throw new SecretFilesError(`SECRETS_DIR: cannot read ${join(dir, name)} (${code ?? "error"})`);
    }
    if (Buffer.byteLength(text) > MAX_SECRET_FILE_BYTES)
      throw new SecretFilesError(
        `SECRETS_DIR: ${join(dir, name)} is larger than ${MAX_SECRET_FILE_BYTES} bytes`,
      );
    // Files written by hand or by `echo` end in a newline that is not part of the secret.
    const value = text.trim();
    if (value) out[name] = value;
  }
  return out;
}

export interface SecretFilesWatcher {
  /** Re-reads the files now; resolves after `onChange` (if any) has finished. */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Polls `dir` every `intervalMs` and calls `onChange` with the new values when any file changed.
 * A failing read is reported through `onError` and retried on the next poll.
 */
export function watchSecretFiles(
  dir: string,
  intervalMs: number,
  initial: Record<string, string>,
  onChange: (values: Record<string, string>) => Promise<void> | void,
  onError: (e: unknown) => void,
): SecretFilesWatcher {
  let last = fingerprint(initial);
  let running: Promise<void> | null = null;
  const check = (): Promise<void> => {
    // Overlapping polls would rebuild handlers twice for one rotation.
    running ??= (async () => {
      try {
        const values = readSecretFiles(dir);
        const now = fingerprint(values);
        if (now === last) return;
        last = now;
        await onChange(values);
      } catch (e) {
        onError(e);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const timer = intervalMs > 0 ? setInterval(() => void check(), intervalMs) : null;
  timer?.unref();
  return {
    check,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}

function fingerprint(values: Record<string, string>): string {
  return JSON.stringify(FILE_VARIABLES.map((n) => values[n] ?? null));
}
