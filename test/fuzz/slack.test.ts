// 30,000 generated Slack inputs (scaled by FUZZ_RUNS). Rendering: generated questions through the
// real core into Block Kit, every message within src/slack/limits.ts and inert (nothing that could
// ping or link from untrusted text). Ingress: recorded payloads, mutated and damaged, signed and sent
// to the real Bolt app behind our receiver: every one is answered with a deliberate status (never a
// 500 from an exception), and the server keeps answering. nock only at Slack's edge.
import fc from "fast-check";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProjectAnswer } from "../../src/core/answer.js";
import { renderAnswer } from "../../src/slack/blocks.js";
import { MAX_BLOCKS } from "../../src/slack/limits.js";
import { renderUnfurl } from "../../src/slack/unfurl.js";
import {
  allowOnlyLocalhost,
  fixture,
  formBody,
  type Harness,
  HOOKS,
  post,
  realCatalog,
  realCore,
  SLACK_API,
  startSlack,
} from "../slack/helpers.js";
import { limitViolations } from "../slack/limits-check.js";
import { chatText, damagedText, mutated } from "./arbitraries.js";
import { runs, timeLimit } from "./runs.js";

const core = realCore();
const catalog = realCatalog();

/**
 * Nothing rendered from untrusted text may become a mention, a broadcast or a link. Button values
 * are left out: Slack never displays or parses them, it hands them back in the click's payload.
 */
function inert(raw: string): string[] {
  const json = raw.replace(/"value":"(?:[^"\\]|\\.)*"/g, '"value":""');
  const out: string[] = [];
  if (/<[!@#]/.test(json)) out.push(`mention or broadcast: ${json.match(/.{0,30}<[!@#].{0,30}/)?.[0]}`);
  if (/"(link_names|parse)"/.test(json)) out.push("link_names/parse set");
  return out;
}

describe("Block Kit rendering of generated questions", () => {
  const invocation = fc.constantFrom("/upstream ", "@upstream ", "");
  it(
    "every message is within Slack's limits and inert",
    () => {
      fc.assert(
        fc.property(chatText(catalog), invocation, fc.boolean(), (text, inv, share) => {
          const a = core.ask(text);
          const message = renderAnswer(a, {
            echoQuery: true,
            invocation: inv,
            ...(share ? { share: { kind: "query" as const, query: a.query } } : {}),
          });
          expect(limitViolations(message, MAX_BLOCKS)).toEqual([]);
          expect(inert(JSON.stringify(message))).toEqual([]);
        }),
        { numRuns: runs(24_000) },
      );
    },
    timeLimit(30_000),
  );

  it("project cards for any button value, and unfurls for any URL, are within limits", () => {
    const urls = catalog.projects.map((p) => p.url);
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...catalog.projects.map((p) => p.id)), fc.string({ maxLength: 200 })),
        fc.constantFrom(...urls).chain((u) => fc.string({ maxLength: 30 }).map((t) => `${u}${t}`)),
        (id, url) => {
          const message = renderAnswer(core.project(id), { invocation: "/upstream " });
          expect(limitViolations(message)).toEqual([]);
          const card = core.unfurl(url);
          if (card) {
            const unfurl = renderUnfurl(card as ProjectAnswer);
            expect(limitViolations({ text: "unfurl", blocks: unfurl.blocks })).toEqual([]);
            expect(inert(JSON.stringify(unfurl))).toEqual([]);
          }
        },
      ),
      { numRuns: runs(3_000) },
    );
  });
});

describe("ingress: mutated and damaged payloads through the real receiver", () => {
  let h: Harness;
  let seq = 0;
  beforeAll(async () => {
    allowOnlyLocalhost();
    nock(SLACK_API)
      .persist()
      .post(/\/api\/.*/)
      .reply(200, { ok: true, ts: "1.2", channel: "C1" });
    nock(HOOKS).persist().post(/.*/).reply(200, "ok");
    h = await startSlack();
  });
  afterAll(async () => {
    await h.close();
    nock.cleanAll();
  });

  /** Statuses the receiver answers on purpose; a 500 would mean an exception got through. */
  const DELIBERATE = [200, 400, 401, 404, 413, 415];
  const unique = () => `Fz${++seq}`;

  /**
   * Recorded payloads with fresh ids and channels, so that dedupe does not skip the work. The channel
   * itself is not mutated: the per-channel pacing (one post a second) would queue posts for seconds.
   */
  const eventBase = (name: string) => {
    const env = fixture(name);
    const id = unique();
    return {
      ...env,
      event_id: id,
      event: { ...(env.event as object), channel: `${name === "message_im" ? "D" : "C"}${id}` },
    };
  };
  const events = fc.oneof(
    fc.constant(null).chain(() => mutated(eventBase("app_mention"), ["event.channel"])),
    fc.constant(null).chain(() => mutated(eventBase("message_im"), ["event.channel"])),
    fc.constant(null).chain(() => mutated(eventBase("link_shared"), ["event.channel"])),
    fc.constant(null).chain(() => mutated(eventBase("app_home_opened"), ["event.channel"])),
  );
  const actions = fc
    .constant(null)
    .chain(() => mutated({ ...fixture("block_actions"), response_url: `${HOOKS}/actions/T1/${unique()}` }));
  const commands = mutated(fixture("command")).map((f) =>
    formBody(
      Object.fromEntries(
        Object.entries(f).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      ),
    ),
  );

  const bodies: fc.Arbitrary<{ body: string; type: string }> = fc.oneof(
    events.map((e) => ({ body: JSON.stringify(e), type: "application/json" })),
    actions.map((a) => ({
      body: formBody({ payload: JSON.stringify(a) }),
      type: "application/x-www-form-urlencoded",
    })),
    commands.map((c) => ({ body: c, type: "application/x-www-form-urlencoded" })),
    fc
      .constantFrom(
        JSON.stringify(fixture("app_mention")),
        formBody(fixture<Record<string, string>>("command")),
      )
      .chain((t) => damagedText(t))
      .chain((body) =>
        fc
          .constantFrom("application/json", "application/x-www-form-urlencoded", "text/plain", "")
          .map((type) => ({ body, type })),
      ),
  );

  it(
    "answers every signed payload with a deliberate status and keeps serving",
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(bodies, async ({ body, type }) => {
          const res = await post(h.url, body, type);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(DELIBERATE).toContain(res.status);
        }),
        { numRuns: runs(3_000) },
      );
      await h.handler.drain();
      // Still serving after all that.
      const ok = await post(
        h.url,
        formBody(fixture<Record<string, string>>("command")),
        "application/x-www-form-urlencoded",
      );
      expect(ok.status).toBe(200);
      // Every deliberate branch was reached, so the mutations did reach past the signature check.
      expect([...statuses.keys()].sort()).toEqual(expect.arrayContaining([200, 400]));
    },
    timeLimit(30_000),
  );
});
