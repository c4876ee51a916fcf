// RELIABILITY case 50 end to end with the real Slack adapter: the signing secret is rotated in the
// mounted secret files; after the poll the new secret verifies and the old one is refused, with no
// restart and no request dropped. Policy: re-read SECRETS_DIR every SECRETS_POLL_INTERVAL (2 min).
import { createHmac } from "node:crypto";
import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startFromEnvironment } from "../../src/server/start.js";
import { captureLines, send } from "./helpers.js";

const OLD = "11111111111111111111111111111111";
const NEW = "22222222222222222222222222222222";
const TOKEN = "xoxb-0000-1111-rotationtoken";

function command(secret: string) {
  const body = new URLSearchParams({
    command: "/upstream",
    text: "eraser",
    team_id: "T1",
    channel_id: "C1",
    user_id: "U1",
    response_url: "https://hooks.slack.com/commands/T1/1/x",
  }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const mac = createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex");
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-signature": `v0=${mac}`,
      "x-slack-request-timestamp": String(ts),
    },
  };
}

let dir: string;
let running: RunningServer;
let reload: () => Promise<void>;
const signals = new EventEmitter();
const log = captureLines();
let result: Promise<number>;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/127\.0\.0\.1|localhost/);
  dir = mkdtempSync(join(tmpdir(), "upstream-rotation-"));
  writeFileSync(join(dir, "SLACK_BOT_TOKEN"), `${TOKEN}\n`);
  writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), `${OLD}\n`);
  await new Promise<void>((resolve) => {
    result = startFromEnvironment({
      env: {
        NODE_ENV: "production",
        HOST: "127.0.0.1",
        PORT: "0",
        SECRETS_DIR: dir,
        SECRETS_POLL_INTERVAL: "2m",
        CATALOG_REFRESH_INTERVAL: "0",
        SLACK_BOT_ID: "B0ROTATE",
        SLACK_BOT_USER_ID: "U0ROTATE",
      },
      signals: signals as unknown as NodeJS.Process,
      exit: () => {},
      logWrite: log.write,
      isTTY: false,
      onListening: (r, check) => {
        running = r;
        reload = check;
        resolve();
      },
    });
  });
});
afterAll(async () => {
  signals.emit("SIGTERM", "SIGTERM");
  expect(await result).toBe(0);
  rmSync(dir, { recursive: true, force: true });
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("signing secret rotation through mounted files", () => {
  it("verifies with the old secret before, and only with the new one after the poll", async () => {
    expect((await send(running.url, "/slack/events", command(OLD))).status).toBe(200);
    expect((await send(running.url, "/slack/events", command(NEW))).status).toBe(401);

    writeFileSync(join(dir, "SLACK_SIGNING_SECRET"), `${NEW}\n`);
    // Until the poll, the running handler keeps the secret it was built with.
    expect((await send(running.url, "/slack/events", command(OLD))).status).toBe(200);
    await reload();

    expect((await send(running.url, "/slack/events", command(NEW))).status).toBe(200);
    expect((await send(running.url, "/slack/events", command(OLD))).status).toBe(401);
    expect(log.records().map((r) => r.msg)).toContain(
      "secret files changed: handlers rebuilt with the new credentials",
    );
    for (const line of log.lines) for (const s of [OLD, NEW, TOKEN]) expect(line).not.toContain(s);
  });
});
