// Remembers Events API event ids so a redelivery (X-Slack-Retry-Num) of an event already
// answered is acknowledged without answering twice. The interface maps onto a shared store
// (Redis: claim = SET NX PX, complete = SET PX, release = DEL) for several replicas; the
// default keeps ids in this process only. https://docs.slack.dev/apis/events-api#retries

export interface EventStore {
  /** Claims an event for processing; false when it is already being processed or was done. */
  claim(eventId: string): Promise<boolean>;
  /** Its side effects happened: keep refusing redeliveries for the retention window. */
  complete(eventId: string): Promise<void>;
  /** It failed before its side effects: a retry may claim it again (RELIABILITY case 17). */
  release(eventId: string): Promise<void>;
}

export interface MemoryEventStoreOptions {
  /** How long a claim in progress blocks redeliveries; a crashed attempt frees it after this. */
  leaseMs?: number;
  /** How long a done event is remembered; Slack retries three times within about 5 minutes. */
  retentionMs?: number;
  /** Most ids kept; the oldest go first, so memory stays bounded under any event rate. */
  maxEntries?: number;
  now?: () => number;
}

export function createMemoryEventStore(opts: MemoryEventStoreOptions = {}): EventStore {
  const leaseMs = opts.leaseMs ?? 60_000;
  const retentionMs = opts.retentionMs ?? 60 * 60_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, number>();

  const sweep = (t: number) => {
    for (const [id, expires] of entries) {
      if (expires > t && entries.size <= maxEntries) break;
      entries.delete(id);
    }
  };
  // Re-inserting moves an id to the end: the sweep drops the oldest first and stops at a live one.
  const put = (id: string, expires: number) => {
    entries.delete(id);
    entries.set(id, expires);
  };

  return {
    async claim(id) {
      const t = now();
      sweep(t);
      const expires = entries.get(id);
      if (expires !== undefined && expires > t) return false;
      put(id, t + leaseMs);
      return true;
    },
    async complete(id) {
      put(id, now() + retentionMs);
    },
    async release(id) {
      entries.delete(id);
    },
  };
}
