// RELIABILITY 52 (development only, Socket Mode): Slack's `disconnect` frames — too_many_websockets,
// refresh_requested — close the socket; the client asks apps.connections.open for a new URL,
// reconnects, and events keep being answered. The process never crashes. Slash commands are answered
// in the socket ack, cached acks included. A real WebSocket server
// on 127.0.0.1 plays Slack's socket endpoint; nock plays the Web API.
// https://docs.slack.dev/apis/events-api/using-socket-mode#disconnect
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import {
  allowOnlyLocalhost,
  eventEnvelope,
  fixture,
  type Harness,
  SLACK_API,
  startSlack,
} from "../slack/helpers.js";

let wss: WebSocket.Server;
let wsUrl: string;
const sockets: WebSocket[] = [];
const acks: string[] = [];
/** Every ack's payload by envelope id (slash commands answer in it). */
const ackPayloads = new Map<string, unknown>();

beforeAll(async () => {
  allowOnlyLocalhost();
  wss = new WebSocket.Server({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => wss.once("listening", () => r()));
  wsUrl = `ws://127.0.0.1:${(wss.address() as { port: number }).port}/`;
  wss.on("connection", (ws: WebSocket) => {
    sockets.push(ws);
    ws.on("message", (data: WebSocket.Data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (msg.envelope_id) {
        acks.push(msg.envelope_id);
        ackPayloads.set(msg.envelope_id, msg.payload);
      }
    });
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A123456" } }));
  });
});

afterAll(async () => {
  for (const ws of sockets) ws.terminate();
  await new Promise<void>((r) => wss.close(() => r()));
  nock.cleanAll();
});

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(check(), what).toBe(true);
}

describe("Socket Mode disconnects (case 52)", () => {
  let h: Harness;
  let opens = 0;
  const posts: string[] = [];

  beforeAll(async () => {
    nock(SLACK_API)
      .persist()
      .post("/api/apps.connections.open")
      .reply(200, () => {
        opens += 1;
        return { ok: true, url: wsUrl };
      })
      .post("/api/chat.postMessage")
      .reply(200, (_uri, body) => {
        posts.push(typeof body === "string" ? body : JSON.stringify(body));
        return { ok: true, channel: "C1", ts: "1.2" };
      });
    h = await startSlack({ appToken: "xapp-1-A123456-socket" });
  });
  afterAll(async () => {
    await h.close();
  });

  /** Sends an app_mention over the newest socket and waits for its ack and its answer. */
  async function mentionAnswered(id: string) {
    const ws = sockets[sockets.length - 1] as WebSocket;
    const postsBefore = posts.length;
    ws.send(
      JSON.stringify({
        type: "events_api",
        envelope_id: id,
        accepts_response_payload: false,
        payload: eventEnvelope("app_mention", { channel: `C${id}` }, `Ev${id}`),
      }),
    );
    await until(() => acks.includes(id), `event ${id} acknowledged over the socket`);
    await until(() => posts.length > postsBefore, `event ${id} answered with chat.postMessage`);
  }

  it("connects in the background and answers events over the socket", async () => {
    await until(() => sockets.length === 1, "first connection");
    await mentionAnswered("env-1");
    expect(opens).toBe(1);
  });

  it("answers /upstream in the socket ack with the whole card, the first time and from the cache", async () => {
    const ws = sockets[sockets.length - 1] as WebSocket;
    const command = (id: string) =>
      ws.send(
        JSON.stringify({
          type: "slash_commands",
          envelope_id: id,
          accepts_response_payload: true,
          payload: {
            ...fixture<Record<string, string>>("command"),
            text: "eraser",
          },
        }),
      );
    command("cmd-1");
    await until(() => acks.includes("cmd-1"), "first command acknowledged");
    command("cmd-2");
    await until(() => acks.includes("cmd-2"), "second command acknowledged");
    const first = ackPayloads.get("cmd-1") as { response_type?: string; blocks?: unknown[] };
    expect(first.response_type).toBe("ephemeral");
    expect(JSON.stringify(first.blocks)).toContain("Eraser · Active");
    // The second ack is the cached, serialized-once body: Socket Mode's own JSON.stringify sees
    // the same card (and no trace of the stored JSON).
    expect(ackPayloads.get("cmd-2")).toEqual(first);
  });

  // The client waits its ping timeout (5 s) before reconnecting, so one reason is tried here;
  // refresh_requested and warnings take the same path in @slack/socket-mode.
  it("a disconnect frame (too_many_websockets) → a new URL, a new socket, and events are answered again", async () => {
    const reason = "too_many_websockets";
    const connections = sockets.length;
    (sockets[sockets.length - 1] as WebSocket).send(
      JSON.stringify({ type: "disconnect", reason, debug_info: { host: "applink-test" } }),
    );
    await until(() => sockets.length === connections + 1, "reconnected");
    expect(opens).toBe(connections + 1);
    await mentionAnswered(`env-${reason}`);
    expect(h.logs.filter((l) => l.level >= 60)).toEqual([]);
  }, 30_000);
});
