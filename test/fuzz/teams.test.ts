// 30,000 generated Teams inputs (scaled by FUZZ_RUNS). Rendering: generated questions through the
// real core into Adaptive Card replies, every card within Teams' budget (≤ 24 KB as UTF-16, ≤ 6
// actions in any set), with nothing built from untrusted text that Teams would evaluate (no card
// expressions, no mention entities). Ingress: recorded activity shapes, mutated, sent with a valid
// channel JWT to the real CloudAdapter behind our handler: every one is answered with a deliberate
// status (never a 500 from an exception), and the endpoint keeps answering. nock only at the edge.
import fc from "fast-check";
import nock from "nock";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectAnswer } from "../../src/core/answer.js";
import { cardUtf16Bytes, renderAnswer } from "../../src/teams/cards.js";
import {
  MAX_ACTIONS_PER_SET,
  MAX_CARD_UTF16_BYTES,
  MAX_SUMMARY_CHARS,
  MAX_TEXT_CHARS,
} from "../../src/teams/limits.js";
import { answerReply, searchResponse } from "../../src/teams/messages.js";
import {
  botAdded,
  channelClaims,
  channelMention,
  invoke,
  makeKey,
  personalMessage,
  post,
  realCore,
  SERVICE_URL,
  signToken,
  useTeamsServer,
} from "../teams/support.js";
import { chatText, damagedText, mutated } from "./arbitraries.js";
import { runs, timeLimit } from "./runs.js";

const core = realCore();
const catalog = core.catalog;

type Node = { type?: string; [k: string]: unknown };
function nodes(x: unknown): Node[] {
  if (Array.isArray(x)) return x.flatMap(nodes);
  if (typeof x !== "object" || x === null) return [];
  return [x as Node, ...Object.values(x as Node).flatMap(nodes)];
}

/** Every way a card can break Teams' limits or let untrusted text become markup. */
function cardViolations(card: unknown): string[] {
  const out: string[] = [];
  const bytes = cardUtf16Bytes(card);
  if (bytes > MAX_CARD_UTF16_BYTES) out.push(`${bytes} bytes as UTF-16`);
  const sets = [card as Node, ...nodes(card).filter((n) => n.type === "ActionSet")];
  for (const s of sets)
    if (Array.isArray(s.actions) && s.actions.length > MAX_ACTIONS_PER_SET)
      out.push(`${s.actions.length} actions in one set`);
  const json = JSON.stringify(card);
  if (json.includes("{{")) out.push("a card expression ({{…}})");
  if (json.includes('"mentioned"')) out.push("a mention entity");
  return out;
}

describe("Adaptive Card rendering of generated questions", () => {
  it(
    "every reply is within Teams' limits and carries its summary and fallback",
    () => {
      fc.assert(
        fc.property(chatText(catalog), (text) => {
          const reply = answerReply(core.ask(text));
          const card = reply.card.attachments?.[0]?.content;
          expect(cardViolations(card)).toEqual([]);
          expect(reply.card.summary.length).toBeGreaterThan(0);
          expect(reply.card.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
          expect((reply.fallback.text ?? "").length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
          expect(reply.fallback.text ?? "").not.toContain("{{");
        }),
        { numRuns: runs(22_000) },
      );
    },
    timeLimit(40_000),
  );

  it("search results and non-interactive cards for any button value are within limits too", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...catalog.projects.map((p) => p.id)), fc.string({ maxLength: 200 })),
        fc.array(fc.constantFrom(...catalog.projects.map((p) => p.id)), { maxLength: 12 }),
        (id, ids) => {
          expect(cardViolations(renderAnswer(core.project(id), { interactive: false }))).toEqual([]);
          const answers = ids
            .map((i) => core.project(i))
            .filter((a): a is ProjectAnswer => a.kind === "project");
          const search = searchResponse(answers).composeExtension;
          for (const a of "attachments" in search ? search.attachments : [])
            expect(cardViolations(a.content)).toEqual([]);
        },
      ),
      { numRuns: runs(4_000) },
    );
  });
});

describe("ingress: mutated activities with a valid token through the real CloudAdapter", () => {
  const key = makeKey("k-fuzz");
  const token = signToken(key, channelClaims());
  let seq = 0;
  // Mutated conversation ids make reply URLs no connector accepts; each attempt is cut short.
  const h = useTeamsServer({
    keys: [key],
    metadataFetches: 100,
    overrides: { outboundRetry: { jitterMs: 0, attemptTimeoutMs: 500 } },
  });
  beforeAll(() => {
    nock(SERVICE_URL.replace(/\/amer\/$/, ""))
      .persist()
      .post(/\/amer\/v3\/conversations\/.*/)
      .reply(200, () => ({ id: `reply-${++seq}` }));
  });

  /** Statuses the handler answers on purpose; a 500 would mean an exception got through. */
  const DELIBERATE = [200, 201, 202, 400, 401, 404, 413, 501];
  const fresh = <T extends { id: string }>(a: T): T => ({ ...a, id: `1:fuzz-${++seq}` });
  const query = (q: string) =>
    invoke("composeExtension/query", {
      commandId: "searchProjects",
      parameters: [{ name: "searchQuery", value: q }],
      queryOptions: { skip: 0, count: 25 },
    });
  // The fields the channel's token vouches for stay: a changed serviceUrl is refused by design (case 33).
  const keep = ["serviceUrl", "channelId"];
  const activities = fc.oneof(
    chatText(catalog).chain((t) => mutated(fresh(personalMessage(t)), keep)),
    chatText(catalog).chain((t) => mutated(fresh(channelMention(t)), keep)),
    chatText(catalog).chain((t) => mutated(fresh(query(t)), keep)),
    fc.constant(null).chain(() => mutated(fresh(botAdded()), keep)),
    fc
      .constant(null)
      .chain(() =>
        mutated(fresh(personalMessage("eraser", { value: { action: "open_project", id: "eraser" } })), keep),
      ),
  );
  const bodies = fc.oneof(
    { weight: 5, arbitrary: activities.map((a) => JSON.stringify(a)) },
    { weight: 1, arbitrary: damagedText(JSON.stringify(personalMessage("eraser"))) },
  );

  it(
    "answers every request with a deliberate status and keeps answering",
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(bodies, async (body) => {
          const res = await post(h.url, undefined, token, { rawBody: body });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(DELIBERATE).toContain(res.status);
        }),
        { numRuns: runs(4_000) },
      );
      await h.handler.drain();
      expect(h.telemetry.failedEvents.filter((e) => e.stage === "request")).toEqual([]);
      const ok = await post(h.url, fresh(personalMessage("eraser")), token);
      expect(ok.status).toBe(200);
      expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400]));
    },
    timeLimit(40_000),
  );
});
