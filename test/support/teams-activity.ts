// Bot Framework activities as Teams sends them, for tests and benchmarks that talk to a server in
// another process (where test/teams/support.ts's nock-based harness does not apply).
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object
export interface ActivityOptions {
  serviceUrl: string;
  appId: string;
  id?: string;
  conversationId?: string;
}

export function teamsMessage(text: string, o: ActivityOptions): Record<string, unknown> {
  return {
    type: "message",
    id: o.id ?? "1:activity",
    channelId: "msteams",
    serviceUrl: o.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: "en-US",
    from: { id: "29:1user", name: "Ada Lovelace", aadObjectId: "00000000-0000-0000-0000-0000000000a1" },
    recipient: { id: `28:${o.appId}`, name: "Upstream" },
    conversation: {
      id: o.conversationId ?? "a:1personal-chat",
      conversationType: "personal",
      tenantId: "72f988bf",
    },
    channelData: { tenant: { id: "72f988bf" } },
    text,
    textFormat: "plain",
  };
}

/** A channel post that @mentions the bot the way Teams does (the mention text is part of `text`). */
export function teamsMention(text: string, o: ActivityOptions): Record<string, unknown> {
  const mention = "<at>Upstream</at>";
  return {
    ...teamsMessage(`${mention} ${text}`, o),
    conversation: {
      id: o.conversationId ?? "19:abc123@thread.tacv2;messageid=1717000000000",
      conversationType: "channel",
      isGroup: true,
      tenantId: "72f988bf",
    },
    entities: [{ type: "mention", text: mention, mentioned: { id: `28:${o.appId}`, name: "Upstream" } }],
    channelData: { tenant: { id: "72f988bf" }, teamsChannelId: "19:abc123@thread.tacv2" },
  };
}
