// The live catalog against a nocked upstream README (real fetch, real importer, real core):
// a changed list is served, every kind of failure keeps the last good catalog, logs one
// warning and shows in status().
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import nock from "nock";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { loadCatalogFile, PROJECT_ROOT, readCuration } from "../../src/catalog/catalog-files.js";
import {
  createLiveCatalog,
  DEFAULT_CATALOG_URL,
  type LiveCatalog,
  type LiveCatalogOptions,
} from "../../src/catalog/live-catalog.js";
import { type Answer, sourceLine } from "../../src/core/answer.js";
import { createLogger } from "../../src/log.js";

const HOST = "https://raw.githubusercontent.com";
const PATH = "/Azure/container-upstream/main/README.md";
const fixture = (f: string) => readFileSync(join(PROJECT_ROOT, "test", "fixtures", "upstream", f), "utf8");
const CHANGED = fixture("changed-README.md");
const bundled = loadCatalogFile();
const curation = readCuration();
const T0 = new Date("2026-03-01T12:00:00.000Z");

interface LogLine {
  level: number;
  msg: string;
  catalogRefresh?: { cause?: string; outcome?: string };
}

let clock: Date;
let lines: LogLine[];
const warnings = () => lines.filter((l) => l.level === 40);

function live(extra: Partial<LiveCatalogOptions> = {}): LiveCatalog {
  const logger = createLogger({
    level: "debug",
    destination: { write: (s: string) => lines.push(JSON.parse(s) as LogLine) },
  });
  return createLiveCatalog({
    url: DEFAULT_CATALOG_URL,
    intervalMs: 0,
    timeoutMs: 2_000,
    bundled,
    curation,
    logger,
    now: () => clock,
    ...extra,
  });
}

const upstream = () => nock(HOST).get(PATH);
const name = (a: Answer) => (a.kind === "project" || a.kind === "alternatives" ? a.project.name : null);

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
});

beforeEach(() => {
  clock = T0;
  lines = [];
});

afterEach(() => {
  nock.cleanAll();
  vi.useRealTimers();
});

describe("a changed list (200)", () => {
  it("is served: a project added, one removed (kept as delisted), one deprecated", async () => {
    const lc = live();
    const before = lc.getCore();
    expect(before.ask("headlamp").kind).toBe("not_found");
    expect(before.ask("porter")).toMatchObject({ kind: "project", project: { lifecycle: "active" } });

    const scope = upstream().reply(200, CHANGED, { ETag: '"v1"' });
    const r = await lc.refreshNow();
    scope.done();
    expect(r.outcome).toBe("updated");

    const core = lc.getCore();
    expect(core).not.toBe(before);
    expect(name(core.ask("headlamp"))).toBe("Headlamp");
    const copa = core.ask("copacetic");
    expect(copa.kind === "project" && copa.project.listed).toMatchObject({
      date: "2025-09-02",
      commit: "9b7e339",
    });
    const porter = core.ask("what replaced porter?");
    expect(porter.kind).toBe("alternatives");
    expect(porter.kind === "alternatives" && porter.alternatives.map((s) => s.name)).toEqual(["Helm"]);
    expect(core.ask("list").kind === "list" && core.ask("list")).toMatchObject({
      title: "All 48 projects on the list",
    });

    // A reference taken before the swap keeps answering from its own, complete catalog.
    expect(before.ask("headlamp").kind).toBe("not_found");
    expect(before.ask("porter")).toMatchObject({ kind: "project", project: { lifecycle: "active" } });
  });

  it("answers say they come from the live list and when it was fetched", async () => {
    const lc = live();
    upstream().reply(200, CHANGED);
    await lc.refreshNow();
    const a = lc.getCore().ask("eraser");
    expect(a.source).toMatchObject({
      origin: "live",
      fetchedAt: T0.toISOString(),
      snapshot: { date: "2026-03-01", fetchedAt: T0.toISOString(), url: DEFAULT_CATALOG_URL },
    });
    expect(a.source.snapshot.commit).toBeUndefined();
    expect(sourceLine(a.source)).toBe("upstream list, live, fetched 2026-03-01 12:00 UTC");
    expect(sourceLine(bundledAnswer().source)).toBe("upstream list 2025-09-02 (9b7e339)");
  });

  it("'what's new?' answers with the changes since the bundled snapshot", async () => {
    const lc = live();
    upstream().reply(200, CHANGED);
    await lc.refreshNow();
    const a = lc.getCore().ask("what changed in the list?");
    expect(a).toMatchObject({
      kind: "list",
      intent: "whats_new",
      since: { date: "2025-09-02", commit: "9b7e339" },
    });
    if (a.kind !== "list") throw new Error("not a list");
    expect(a.changes).toEqual([
      { id: "headlamp", name: "Headlamp", change: "added" },
      { id: "copacetic", name: "Copacetic", change: "removed" },
      { id: "porter", name: "Porter", change: "lifecycle", from: "active", to: "deprecated" },
    ]);
    expect(a.projects.map((p) => p.name)).toEqual(["Headlamp", "Copacetic", "Porter"]);
    expect(a.title).toBe(
      "Changes in the live list (fetched 2026-03-01 12:00 UTC) since the bundled 2025-09-02 list: " +
        "1 added, 1 removed, 1 changed lifecycle",
    );
  });

  it("'what's new?' falls back to the bundled history when the live list adds, removes and retires nothing", async () => {
    const lc = live();
    upstream().reply(
      200,
      readFileSync(join(PROJECT_ROOT, "data", "upstream", "2025-09-02-9b7e339-README.md")),
    );
    expect((await lc.refreshNow()).outcome).toBe("updated");
    const a = lc.getCore().ask("what's new?");
    if (a.kind !== "list") throw new Error("not a list");
    expect(a.title).toMatch(
      /^The live list \(fetched 2026-03-01 12:00 UTC\) adds, removes, moves or retires no project/,
    );
    const names = a.projects.map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["Envoy Proxy", "DALEC", "SpiderLightning"]));
    expect(names).toEqual(listNames("what's new?"));
  });

  it("sends the validators next time; 304 keeps the catalog and counts as success", async () => {
    const lc = live();
    upstream().reply(200, CHANGED, { ETag: '"v1"', "Last-Modified": "Sun, 01 Mar 2026 11:00:00 GMT" });
    await lc.refreshNow();
    const core = lc.getCore();

    clock = new Date("2026-03-01T18:00:00.000Z");
    const scope = nock(HOST, {
      reqheaders: { "if-none-match": '"v1"', "if-modified-since": "Sun, 01 Mar 2026 11:00:00 GMT" },
    })
      .get(PATH)
      .reply(304);
    const r = await lc.refreshNow();
    scope.done();
    expect(r.outcome).toBe("not_modified");
    expect(lc.getCore()).toBe(core);
    expect(lc.status()).toMatchObject({
      origin: "live",
      fetchedAt: T0.toISOString(),
      lastSuccessAt: clock.toISOString(),
      lastUpdateAt: T0.toISOString(),
      ageSeconds: 0,
      consecutiveFailures: 0,
      refreshes: { updated: 1, not_modified: 1, unchanged: 0, failed: 0 },
    });
    expect(warnings()).toEqual([]);
  });

  it("the same bytes again (no validators) keep the served Core", async () => {
    const lc = live();
    upstream().twice().reply(200, CHANGED);
    await lc.refreshNow();
    const core = lc.getCore();
    expect((await lc.refreshNow()).outcome).toBe("unchanged");
    expect(lc.getCore()).toBe(core);
  });
});

function bundledAnswer(q = "eraser"): Answer {
  return live().getCore().ask(q);
}

function listNames(q: string): string[] {
  const a = bundledAnswer(q);
  return a.kind === "list" ? a.projects.map((p) => p.name) : [];
}

describe("failures keep the last good catalog", () => {
  let lc: LiveCatalog;
  let good: ReturnType<LiveCatalog["getCore"]>;

  beforeEach(async () => {
    // 1 s: short enough for the timeout cases, long enough that a loaded CI machine never hits it by accident.
    lc = live({ maxBytes: 200_000, timeoutMs: 1_000 });
    upstream().reply(200, CHANGED, { ETag: '"good"' });
    expect((await lc.refreshNow()).outcome).toBe("updated");
    good = lc.getCore();
    lines = [];
    clock = new Date("2026-03-01T18:00:00.000Z");
  });

  // Ray marked deprecated with no successor and no curated reason: the overlay's rule refuses it.
  const invalidList = CHANGED.split("\n")
    .map((line) => {
      if (!line.includes("| [Ray](https://github.com/ray-project/ray)")) return line;
      const cells = line.split("|");
      cells[4] = " Deprecated ";
      return cells.join("|");
    })
    .join("\n");
  it("the invalid list really differs from the good one", () => expect(invalidList).not.toBe(CHANGED));

  const cases: [string, () => nock.Scope, string, RegExp][] = [
    ["HTTP 500", () => upstream().reply(500, "oops"), "http_status", /HTTP 500/],
    ["HTTP 404", () => upstream().reply(404), "http_status", /HTTP 404/],
    [
      "a network error",
      () => upstream().replyWithError({ code: "ECONNRESET", message: "socket hang up" }),
      "network",
      /raw\.githubusercontent\.com/,
    ],
    ["no answer in time", () => upstream().delay(30_000).reply(200, CHANGED), "timeout", /within 1000 ms/],
    [
      "a body that stalls",
      () => upstream().delayBody(30_000).reply(200, CHANGED),
      "timeout",
      /within 1000 ms/,
    ],
    [
      "a declared oversize body",
      () => upstream().reply(200, "x".repeat(300_000), { "Content-Length": "300000" }),
      "too_large",
      /declares 300000 bytes/,
    ],
    [
      "a streamed oversize body without a length",
      () =>
        upstream().reply(200, () =>
          Readable.from(
            (function* () {
              for (let i = 0; i < 100; i++) yield Buffer.alloc(10_000, 0x7c);
            })(),
          ),
        ),
      "too_large",
      /200000-byte cap \(upstream sent more than that\)/,
    ],
    [
      "a body that is not UTF-8",
      () => upstream().reply(200, Buffer.from([0xff, 0xfe, 0x00, 0xc3])),
      "not_text",
      /UTF-8/,
    ],
    [
      "garbage markdown",
      () => upstream().reply(200, fixture("garbage-README.md")),
      "unreadable",
      /no "## Project list" table/,
    ],
    [
      "a list that lost most rows",
      () => upstream().reply(200, fixture("lost-most-rows-README.md")),
      "drop",
      /drops 40 of 48 listed projects \(83%, more than the 30% allowed\): Headlamp, Windows containers/,
    ],
    [
      "a list the curation overlay cannot validate",
      () => upstream().reply(200, invalidList),
      "invalid",
      /ray is deprecated but names no successor/,
    ],
  ];

  it.each(cases)("%s", async (_what, reply, kind, message) => {
    const scope = reply();
    const r = await lc.refreshNow();
    scope.done();
    expect(r).toMatchObject({ outcome: "failed", failure: { kind } });
    expect(r.failure?.message).toMatch(message);

    // Still the last good, live catalog: same Core, same answers.
    expect(lc.getCore()).toBe(good);
    expect(name(lc.getCore().ask("headlamp"))).toBe("Headlamp");
    expect(lc.getCore().ask("porter")).toMatchObject({ project: { lifecycle: "deprecated" } });

    const s = lc.status();
    expect(s).toMatchObject({
      origin: "live",
      fetchedAt: T0.toISOString(),
      ageSeconds: 6 * 3600,
      lastSuccessAt: T0.toISOString(),
      lastFailureAt: clock.toISOString(),
      lastFailure: { kind, at: clock.toISOString() },
      consecutiveFailures: 1,
      refreshes: { updated: 1, failed: 1 },
    });
    expect(s.failures[kind as keyof typeof s.failures]).toBe(1);

    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.catalogRefresh).toMatchObject({ outcome: "failed", cause: kind });
    expect(warnings()[0]?.msg).toMatch(`catalog refresh failed (${kind})`);
    expect(warnings()[0]?.msg).toMatch("still serving the live catalog of 2026-03-01");
  });

  it("counts consecutive failures and recovers on the next good list", async () => {
    upstream().reply(500);
    upstream().reply(502);
    await lc.refreshNow();
    await lc.refreshNow();
    expect(lc.status()).toMatchObject({ consecutiveFailures: 2, lastFailure: { kind: "http_status" } });
    expect(warnings()).toHaveLength(2);

    const scope = nock(HOST, { reqheaders: { "if-none-match": '"good"' } })
      .get(PATH)
      .reply(304);
    expect((await lc.refreshNow()).outcome).toBe("not_modified");
    scope.done();
    expect(lc.status()).toMatchObject({ consecutiveFailures: 0, lastSuccessAt: clock.toISOString() });
    expect(lines.some((l) => l.level === 30 && /recovered after 2/.test(l.msg))).toBe(true);
  });

  it("a refused list does not become the conditional-request baseline", async () => {
    upstream().reply(200, fixture("lost-most-rows-README.md"), { ETag: '"broken"' });
    await lc.refreshNow();
    const scope = nock(HOST, { reqheaders: { "if-none-match": '"good"' } })
      .get(PATH)
      .reply(304);
    expect((await lc.refreshNow()).outcome).toBe("not_modified");
    scope.done();
  });
});

describe("before any good fetch", () => {
  it("serves the bundled catalog when the first fetch fails, and says so", async () => {
    const lc = live();
    upstream().reply(503);
    const r = await lc.refreshNow();
    expect(r.failure?.kind).toBe("http_status");
    expect(lc.getCore().source.origin).toBe("bundled");
    expect(name(lc.getCore().ask("copacetic"))).toBe("Copacetic");
    const s = lc.status();
    expect(s).toMatchObject({ origin: "bundled", snapshot: { date: "2025-09-02" }, consecutiveFailures: 1 });
    expect(s.lastSuccessAt).toBeUndefined();
    expect(s.fetchedAt).toBeUndefined();
    expect(s.ageSeconds).toBe((T0.getTime() - Date.parse("2025-09-02")) / 1000);
    expect(warnings()[0]?.msg).toMatch("still serving the bundled catalog of 2025-09-02");
  });

  it("a fetch implementation that throws a non-Error is a failure, not a crash", async () => {
    const lc = live({
      fetch: () => {
        throw "boom";
      },
    });
    const r = await lc.refreshNow();
    expect(r).toMatchObject({ outcome: "failed", failure: { kind: "network", message: /boom/ } });
    expect(lc.getCore().source.origin).toBe("bundled");
  });
});

describe("start, stop and scheduling", () => {
  it("start() refreshes at once; a second refresh joins it instead of overlapping", async () => {
    const lc = live({ intervalMs: 60_000 });
    const scope = upstream().delay(50).reply(200, CHANGED); // one interceptor: a second request would fail
    lc.start();
    expect(lc.status()).toMatchObject({ running: true, refreshing: true });
    const r = await lc.refreshNow();
    lc.stop();
    scope.done();
    expect(r.outcome).toBe("updated");
    expect(lc.status()).toMatchObject({
      running: false,
      refreshing: false,
      refreshes: { updated: 1, failed: 0 },
    });
  });

  it("refreshes again every intervalMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const lc = live({ intervalMs: 6 * 3600_000 });
    upstream().reply(200, CHANGED, { ETag: '"v1"' });
    lc.start();
    await lc.refreshNow();
    const second = nock(HOST, { reqheaders: { "if-none-match": '"v1"' } })
      .get(PATH)
      .reply(304);
    await vi.advanceTimersByTimeAsync(6 * 3600_000 - 1);
    expect(lc.status().refreshing).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    // The timer started the refresh; refreshNow() joins it rather than fetching again.
    expect(lc.status().refreshing).toBe(true);
    await lc.refreshNow();
    lc.stop();
    second.done();
    expect(lc.status().refreshes).toMatchObject({ updated: 1, not_modified: 1 });
  });

  it("the pending refresh timer does not keep the process alive", async () => {
    const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const lc = live({ intervalMs: 6 * 3600_000 });
    upstream().reply(304);
    lc.start();
    await lc.refreshNow();
    const withTimer = timeouts();
    lc.stop();
    expect(timeouts()).toBe(withTimer);
  });

  it("stop() cancels a fetch in flight: no swap, no warning, not a failure", async () => {
    const lc = live({ intervalMs: 60_000, timeoutMs: 10_000 });
    upstream().delay(5_000).reply(200, CHANGED);
    lc.start();
    const pending = lc.refreshNow();
    lc.stop();
    const r = await pending;
    expect(r.outcome).toBe("stopped");
    expect(lc.getCore().source.origin).toBe("bundled");
    expect(lc.status()).toMatchObject({ consecutiveFailures: 0, refreshes: { failed: 0 }, running: false });
    expect(warnings()).toEqual([]);
  });

  it("intervalMs 0 disables the refresh: start() fetches nothing", () => {
    const lc = live({ intervalMs: 0 });
    lc.start();
    expect(lc.status()).toMatchObject({ refreshing: false, intervalMs: 0, origin: "bundled" });
    expect(lc.status().lastAttemptAt).toBeUndefined();
    lc.stop();
  });

  it("rejects unusable options at construction, with the option's name", () => {
    expect(() => live({ url: "ftp://example.com/README.md" })).toThrow(/CATALOG_URL must be http/);
    expect(() => live({ intervalMs: -1 })).toThrow(/intervalMs/);
    expect(() => live({ maxDropShare: 2 })).toThrow(/maxDropShare/);
  });
});
