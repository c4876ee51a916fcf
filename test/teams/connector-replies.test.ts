// The reply sender against a real local HTTP server: addressing, signing, keep-alive reuse, and
// how refusals are reported (the retry policy itself is tested through the server in
// outbound-retry.test.ts).
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConnectorCredentials,
  ConnectorError,
  createReplySender,
  credentialsOf,
  replyUrl,
} from "../../src/teams/connector-replies.js";

interface Seen {
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
  socket: number;
}

let server: Server;
let base = "";
const seen: Seen[] = [];
let answer: (req: IncomingMessage) => [number, string, Record<string, string>?] = () => [200, '{"id":"1"}'];
let sockets = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const socket = (req.socket as { id?: number }).id ?? 0;
      seen.push({
        url: req.url ?? "",
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        socket,
      });
      const [status, body, headers] = answer(req);
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(body);
    });
  });
  server.on("connection", (s) => {
    (s as { id?: number }).id = ++sockets;
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const signed: ConnectorCredentials = {
  async signRequest(request) {
    request.headers.set("Authorization", "Bearer outbound-token");
  },
};
const unsigned: ConnectorCredentials = { signRequest: async () => {} };

const reply = (over: Record<string, unknown> = {}) => ({
  type: "message",
  text: "hello",
  serviceUrl: base,
  conversation: { id: "19:abc@thread.tacv2;messageid=1700000000000" },
  replyToId: "1:xyz/42",
  ...over,
});

describe("replyUrl", () => {
  it("encodes the conversation and activity ids into the connector's paths", () => {
    expect(replyUrl(reply()).href).toBe(
      `${base}v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000/activities/1%3Axyz%2F42`,
    );
    expect(replyUrl(reply({ replyToId: undefined })).pathname).toBe(
      "/amer/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1700000000000/activities",
    );
    // A service URL without its trailing slash keeps its last segment.
    expect(replyUrl(reply({ serviceUrl: base.slice(0, -1) })).pathname).toMatch(/^\/amer\/v3\//);
  });

  it("refuses an activity with no service URL or conversation", () => {
    expect(() => replyUrl(reply({ serviceUrl: undefined }))).toThrow(/service URL/);
    expect(() => replyUrl(reply({ conversation: {} }))).toThrow(/conversation id/);
  });
});

describe("credentialsOf", () => {
  it("takes botbuilder's credentials from the connector client and says where to look if they move", () => {
    expect(credentialsOf({ credentials: signed })).toBe(signed);
    expect(() => credentialsOf({})).toThrow(/connector-replies\.ts/);
    expect(() => credentialsOf(undefined)).toThrow(/credentials\.signRequest/);
  });
});

describe("sending", () => {
  it("posts the activity as JSON with the credentials' Authorization header", async () => {
    seen.length = 0;
    const sender = createReplySender();
    await sender.send(reply(), signed);
    await sender.send(reply({ replyToId: undefined, text: "to the conversation" }), unsigned);
    sender.close();
    expect(seen[0]).toMatchObject({
      authorization: "Bearer outbound-token",
      contentType: "application/json; charset=utf-8",
      body: { type: "message", text: "hello", replyToId: "1:xyz/42" },
    });
    expect(seen[0]?.url).toMatch(/\/activities\/1%3Axyz%2F42$/);
    expect(seen[1]?.authorization).toBeUndefined();
    expect(seen[1]?.url).toMatch(/\/activities$/);
  });

  it("reuses one connection for replies sent one after another", async () => {
    seen.length = 0;
    const sender = createReplySender();
    for (let i = 0; i < 20; i++) await sender.send(reply({ text: `n${i}` }), signed);
    sender.close();
    expect(seen).toHaveLength(20);
    expect(new Set(seen.map((s) => s.socket)).size).toBe(1);
  });

  it("reports a refusal with its status and the Bot Framework error code", async () => {
    answer = () => [413, JSON.stringify({ error: { code: "MessageSizeTooBig", message: "too big" } })];
    const sender = createReplySender();
    const err = await sender.send(reply(), signed).catch((e: unknown) => e);
    answer = () => [403, "<html>forbidden</html>"];
    const html = await sender.send(reply(), signed).catch((e: unknown) => e);
    answer = () => [200, '{"id":"1"}'];
    sender.close();
    expect(err).toBeInstanceOf(ConnectorError);
    expect(err).toMatchObject({ statusCode: 413, code: "MessageSizeTooBig" });
    expect(html).toMatchObject({ statusCode: 403, code: undefined });
    expect((html as Error).message).toContain("403");
  });

  it("a huge error body makes a short message (the log line stays bounded)", async () => {
    answer = () => [500, "x".repeat(1_000_000)];
    const sender = createReplySender();
    const err = (await sender.send(reply(), signed).catch((e: unknown) => e)) as ConnectorError;
    answer = () => [200, '{"id":"1"}'];
    sender.close();
    expect(err.statusCode).toBe(500);
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toMatch(/answered 500: x{200}$/);
  });
});
