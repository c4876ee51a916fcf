// Keeps this process at or under one message per second per channel, Slack's limit for
// chat.postMessage. In-process only: several replicas need a shared store (e.g. Redis) to hold
// the limit across them. https://docs.slack.dev/apis/web-api/rate-limits#special-rate-limits

export class ChannelBusyError extends Error {
  constructor(
    readonly channel: string,
    readonly waitMs: number,
  ) {
    super(
      `Channel ${channel} already has ${Math.ceil(waitMs / 1000)} s of messages queued; not posting more`,
    );
    this.name = "ChannelBusyError";
  }
}

export interface ChannelLimiter {
  /** Resolves when this channel's next slot comes; rejects when the queue is already too long. */
  wait(channel: string): Promise<void>;
}

export interface ChannelLimiterOptions {
  intervalMs?: number;
  /** Longest queue per channel; beyond it a post fails fast rather than arriving minutes late. */
  maxWaitMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_TRACKED = 10_000;

export function createChannelLimiter(opts: ChannelLimiterOptions = {}): ChannelLimiter {
  const interval = opts.intervalMs ?? 1000;
  const maxWait = opts.maxWaitMs ?? 10_000;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const next = new Map<string, number>();
  return {
    async wait(channel) {
      const t = now();
      const at = Math.max(t, next.get(channel) ?? 0);
      if (at - t > maxWait) throw new ChannelBusyError(channel, at - t);
      next.set(channel, at + interval);
      if (next.size > MAX_TRACKED) for (const [c, n] of next) if (n <= t) next.delete(c);
      if (at > t) await sleep(at - t);
    },
  };
}
