// RELIABILITY 37: when the channel's OpenID metadata or JWKS endpoint fails, requests are refused
// (fail closed) and the process keeps serving; the next request after recovery is accepted.
// A file of its own: botbuilder caches the keys per process, so this needs a cold cache.
import nock from "nock";
import { beforeAll, expect, it, vi } from "vitest";
import {
  channelClaims,
  JWKS_PATH,
  makeKey,
  nockOpenId,
  nockReply,
  OPENID_HOST,
  OPENID_PATH,
  personalMessage,
  post,
  type SentActivity,
  signToken,
  useTeamsServer,
} from "./support.js";

const key = makeKey("k-outage");
// No keys: the metadata endpoint is down, then recovers, as each step below nocks it.
const h = useTeamsServer();

beforeAll(() => {
  vi.spyOn(console, "error").mockImplementation(() => {});
});

it("37: metadata 500, then JWKS 500 → 401 each time; after recovery the same kind of request is answered", async () => {
  const token = () => signToken(key, channelClaims());

  const metadataDown = nock(OPENID_HOST).get(OPENID_PATH).reply(500, "down");
  const first = await post(h.url, personalMessage("eraser"), token());
  expect(first).toEqual({ status: 401, body: { error: "invalid_token" } });
  expect(metadataDown.isDone()).toBe(true);

  const keysDown = nock(OPENID_HOST)
    .get(OPENID_PATH)
    .reply(200, { jwks_uri: `${OPENID_HOST}${JWKS_PATH}` })
    .get(JWKS_PATH)
    .reply(500, "down");
  const second = await post(h.url, personalMessage("eraser"), token());
  expect(second).toEqual({ status: 401, body: { error: "invalid_token" } });
  expect(keysDown.isDone()).toBe(true);
  expect(h.telemetry.answeredEvents).toEqual([]);

  const recovered = nockOpenId([key]);
  const activity = personalMessage("eraser");
  const sent: SentActivity[] = [];
  nockReply(activity.conversation.id, activity.id, sent);
  const third = await post(h.url, activity, token());
  expect(third.status).toBe(200);
  await h.handler.drain();
  expect(recovered.isDone()).toBe(true);
  expect(sent).toHaveLength(1);
  expect(h.telemetry.rejectedReasons).toEqual(["invalid_token", "invalid_token"]);
});
