// Failures the Slack adapter reports: which step failed (the `stage` telemetry and logs use)
// and the underlying cause. The `code` keeps Bolt's asCodedError from wrapping it.

export class SlackStageError extends Error {
  readonly code = "slack_adapter_stage_error";
  constructor(
    readonly stage: string,
    cause: unknown,
  ) {
    super(`${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = "SlackStageError";
  }
}

/** Runs one step; a failure comes out as a SlackStageError naming the step. */
export async function stage<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw e instanceof SlackStageError ? e : new SlackStageError(name, e);
  }
}
