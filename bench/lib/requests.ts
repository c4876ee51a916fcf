// The requests each benchmark run sends, built in the load generator's process: a signed
// `/upstream eraser` slash command, a Teams message with a channel JWT (a fresh activity id per
// request, or the servers' replay guards would skip the work), their rejected variants, and the
// soak's mix of every Slack trigger and Teams messages, each request signed on its own.
import { readFileSync } from "node:fs";
import type { RawRequest, RequestSpec } from "autocannon";
import { slackSignature } from "../../test/support/slack-signature.js";
import { teamsMention, teamsMessage } from "../../test/support/teams-activity.js";
import { APP_ID, COMMAND_TEXT, LARGE_BODY_BYTES, SIGNING_SECRET, TEAMS_TEXT } from "./constants.js";
import { REPO_ROOT } from "./paths.js";

export type LoadKind =
  | "slack-command"
  | "slack-command-distinct"
  | "slack-bad-signature"
  | "slack-large"
  | "teams-message"
  | "teams-message-distinct"
  | "teams-bad-token"
  | "teams-large"
  | "soak";

export interface LoadTarget {
  kind: LoadKind;
  /** Channel JWT for Teams requests (a valid one; the bad-token run breaks its signature). */
  token?: string;
  /** Where Teams replies go (the local edge). */
  serviceUrl?: string;
}

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

function fixture(name: string): Record<string, unknown> {
  const v = JSON.parse(readFileSync(new URL(`test/fixtures/slack/${name}.json`, REPO_ROOT), "utf8"));
  delete v._comment;
  return v;
}

export function commandForm(text: string, extra: Record<string, string> = {}): string {
  const fields = fixture("command") as Record<string, string>;
  return new URLSearchParams({ ...fields, text, ...extra }).toString();
}

function signed(body: string, contentType: string): RawRequest {
  return {
    method: "POST",
    headers: { "content-type": contentType, ...slackSignature(body, SIGNING_SECRET) },
    body,
  };
}

function teamsRequest(token: string, activity: Record<string, unknown>): RawRequest {
  return {
    method: "POST",
    headers: { "content-type": JSON_TYPE, authorization: `Bearer ${token}` },
    body: JSON.stringify(activity),
  };
}

/**
 * Changes the signature's first character: same shape, wrong signature. (Not the last one: its low
 * bits are base64 padding that decoders ignore, so changing it can leave the signature valid.)
 */
function breakSignature(token: string): string {
  const at = token.lastIndexOf(".") + 1;
  const c = token[at] === "A" ? "B" : "A";
  return `${token.slice(0, at)}${c}${token.slice(at + 1)}`;
}

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${process.pid}-${++sequence}`;

export function requestsFor(t: LoadTarget): RequestSpec[] {
  const token = t.token ?? "";
  const serviceUrl = t.serviceUrl ?? "http://127.0.0.1:9/";
  switch (t.kind) {
    case "slack-command":
      return [signed(commandForm(COMMAND_TEXT), FORM)];
    case "slack-command-distinct": {
      const next = distinctQuestions();
      return [
        {
          ...signed(commandForm(COMMAND_TEXT), FORM),
          setupRequest: (req) => ({ ...req, ...signed(commandForm(next()), FORM) }),
        },
      ];
    }
    case "slack-bad-signature": {
      const r = signed(commandForm(COMMAND_TEXT), FORM);
      return [{ ...r, headers: { ...r.headers, "x-slack-signature": `v0=${"0".repeat(64)}` } }];
    }
    case "slack-large": {
      const form = commandForm(COMMAND_TEXT);
      return [signed(`${form}&pad=${"x".repeat(LARGE_BODY_BYTES - form.length - 5)}`, FORM)];
    }
    case "teams-message":
      return [
        {
          ...teamsRequest(token, teamsMessage(TEAMS_TEXT, { serviceUrl, appId: APP_ID })),
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify(
              teamsMessage(TEAMS_TEXT, { serviceUrl, appId: APP_ID, id: nextId("1:bench") }),
            ),
          }),
        },
      ];
    case "teams-message-distinct": {
      const next = distinctQuestions();
      return [
        {
          ...teamsRequest(token, teamsMessage(TEAMS_TEXT, { serviceUrl, appId: APP_ID })),
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify(teamsMessage(next(), { serviceUrl, appId: APP_ID, id: nextId("1:bench") })),
          }),
        },
      ];
    }
    case "teams-bad-token":
      return [teamsRequest(breakSignature(token), teamsMessage(TEAMS_TEXT, { serviceUrl, appId: APP_ID }))];
    case "teams-large": {
      const activity = teamsMessage(TEAMS_TEXT, { serviceUrl, appId: APP_ID });
      return [teamsRequest(token, { ...activity, pad: "x".repeat(LARGE_BODY_BYTES) })];
    }
    case "soak":
      return soakMix(token, serviceUrl);
  }
}

/** Phrasings of a question about one project, for the distinct-questions runs. */
const PHRASINGS = [
  (n: string) => n,
  (n: string) => `what is ${n}?`,
  (n: string) => `who maintains ${n}?`,
  (n: string) => `${n} status`,
  (n: string) => `where do I file issues for ${n}?`,
  (n: string) => `how do I use ${n} on Azure?`,
  (n: string) => `is ${n} deprecated?`,
  (n: string) => `slack channel for ${n}`,
];

/**
 * A cycle through every phrasing of every catalog project's name: 8 × 50 = 400 different texts,
 * more than the servers' render cache holds (256), so that cycling in order misses it every time.
 */
function distinctQuestions(): () => string {
  const catalog = JSON.parse(readFileSync(new URL("data/catalog.json", REPO_ROOT), "utf8")) as {
    projects: { name: string }[];
  };
  const all = catalog.projects.flatMap((p) => PHRASINGS.map((f) => f(p.name)));
  let i = 0;
  return () => all[i++ % all.length] ?? COMMAND_TEXT;
}

/** Questions the soak cycles through: every answer kind, including not-found and help. */
export const SOAK_QUESTIONS = [
  "eraser",
  "what replaced aad pod identity?",
  "kms",
  "list security projects",
  "who do I contact about gatekeeper?",
  "is aks engine deprecated?",
  "asdfghjkl",
  "help",
];

/** The soak's request kinds, in the order one round sends them (each is 1/6 of the requests). */
export const SOAK_KINDS = [
  "slack command",
  "slack app_mention",
  "slack DM",
  "slack button click",
  "teams personal message",
  "teams channel mention",
];

/**
 * One round of the soak mix (Slack: command, mention, DM, button click; Teams: personal message and
 * channel mention); autocannon loops over it. Events get a fresh event_id and channel each time
 * (redeliveries would be deduplicated, and one channel is paced to one post per second).
 */
function soakMix(token: string, serviceUrl: string): RequestSpec[] {
  const question = () => SOAK_QUESTIONS[sequence % SOAK_QUESTIONS.length] ?? "eraser";
  const slack = (build: () => { body: string; type: string }): RequestSpec => ({
    method: "POST",
    path: "/slack/events",
    setupRequest: (req) => {
      const { body, type } = build();
      return { ...req, ...signed(body, type), path: "/slack/events" };
    },
  });
  const event = (name: string, extra: (id: string) => Record<string, unknown>) =>
    slack(() => {
      const env = fixture(name);
      const id = nextId("Ev");
      env.event_id = id;
      env.event = { ...(env.event as object), ...extra(id) };
      return { body: JSON.stringify(env), type: JSON_TYPE };
    });
  const teams = (build: (id: string) => Record<string, unknown>): RequestSpec => ({
    method: "POST",
    path: "/api/messages",
    setupRequest: (req) => ({
      ...req,
      ...teamsRequest(token, build(nextId("1:soak"))),
      path: "/api/messages",
    }),
  });
  const action = fixture("block_actions");
  return [
    slack(() => ({ body: commandForm(question()), type: FORM })),
    event("app_mention", (id) => ({ text: `<@U0LAN0Z89> ${question()}`, channel: `C${id}` })),
    event("message_im", (id) => ({ text: question(), channel: `D${id}` })),
    slack(() => ({
      body: new URLSearchParams({
        payload: JSON.stringify({
          ...action,
          response_url: `https://hooks.slack.com/actions/T0001/${nextId("a")}`,
        }),
      }).toString(),
      type: FORM,
    })),
    teams((id) => teamsMessage(question(), { serviceUrl, appId: APP_ID, id, conversationId: `a:${id}` })),
    teams((id) => teamsMention(question(), { serviceUrl, appId: APP_ID, id })),
  ];
}
