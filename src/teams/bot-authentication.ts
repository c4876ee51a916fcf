// Which inbound requests the Teams endpoint accepts, from the standard Bot Framework settings,
// and the botbuilder authentication object that checks them (JWT from the Bot Framework channel)
// and makes the connector clients whose credentials sign our replies.
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
import { ConfigurationBotFrameworkAuthentication } from "botbuilder-core";

export type TeamsAppType = "MultiTenant" | "SingleTenant" | "UserAssignedMSI";

export interface TeamsCredentials {
  appId?: string;
  appPassword?: string;
  tenantId?: string;
  appType?: TeamsAppType;
  allowUnauthenticated: boolean;
  /** Benchmarks and tests only: where the channel's OpenID metadata (and so its keys) comes from. */
  openIdMetadataUrl?: string;
}

/**
 * The public cloud's settings (botframework-connector's AuthenticationConstants, which botbuilder
 * does not export). botbuilder takes them all or none: setting one of them alone leaves the others
 * undefined, so overriding the OpenID metadata URL means spelling out the rest.
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
  ToChannelFromBotOAuthScope: "https://api.botframework.com",
  ToBotFromChannelTokenIssuer: "https://api.botframework.com",
  OAuthUrl: "https://api.botframework.com",
  ToBotFromEmulatorOpenIdMetadataUrl:
    "https://login.microsoftonline.com/botframework.com/v2.0/.well-known/openid-configuration",
  CallerId: "urn:botframework:azure",
  ValidateAuthority: true,
};

/**
 * - authenticated: every request needs a valid Bot Framework token for `appId`;
 * - open: no app id, local development only: requests are not authenticated;
 * - closed: no app id and not development: every request is refused, no turn ever runs.
 */
export type TeamsAuthMode = { kind: "authenticated"; appId: string } | { kind: "open" } | { kind: "closed" };

/** A configuration that would run the endpoint unsafely or not at all; the message says what to set. */
export class TeamsConfigError extends Error {
  override name = "TeamsConfigError";
}

const blank = (s: string | undefined) => s === undefined || s.trim() === "";

export function teamsAuthMode(c: TeamsCredentials): TeamsAuthMode {
  const appType = c.appType ?? "MultiTenant";
  if (blank(c.appId)) {
    if (!blank(c.appPassword))
      throw new TeamsConfigError(
        "MicrosoftAppPassword is set but MicrosoftAppId is empty: set MicrosoftAppId to the bot's app id.",
      );
    return c.allowUnauthenticated ? { kind: "open" } : { kind: "closed" };
  }
  const appId = (c.appId as string).trim();
  if (appType === "UserAssignedMSI") {
    if (!blank(c.appPassword))
      throw new TeamsConfigError(
        "MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMSI.",
      );
    if (blank(c.tenantId))
      throw new TeamsConfigError(
        "MicrosoftAppTenantId is required when MicrosoftAppType is UserAssignedMSI.",
      );
  } else {
    // botbuilder would accept an empty secret and fail only at the first reply; refuse it up front.
    if (blank(c.appPassword))
      throw new TeamsConfigError(
        `MicrosoftAppPassword is empty while MicrosoftAppId is set (${appType}): set the bot's client secret.`,
      );
    if (appType === "SingleTenant" && blank(c.tenantId))
      throw new TeamsConfigError("MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant.");
  }
  return { kind: "authenticated", appId };
}

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>;
type ClaimsIdentity = Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>[0];
type UserTokenClient = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication["createUserTokenClient"]>>;

/** Distinct (app, service URL, audience) clients kept; Teams uses a handful of regional service URLs. */
export const MAX_CACHED_CLIENTS = 64;

/**
 * botbuilder builds a new connector client (HTTP pipeline, serializer, credentials) and a new user
 * token client for every turn and every continueConversation: measured by the benchmarks, that was
 * a third of the CPU of each answered message (docs/benchmarks.md). Both are stateless request
 * builders whose token comes from botbuilder's process-wide cache, so one per key is enough.
 */
class ClientCache<T> {
  private readonly entries = new Map<string, Promise<T>>();

  get(key: string, make: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = make();
      // A failed build is not kept: the next turn tries again.
      entry.catch(() => this.entries.delete(key));
      if (this.entries.size >= MAX_CACHED_CLIENTS) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(key, entry);
    }
    return entry;
  }
}

/** The bot's app id the way botbuilder reads it: audience claim for channel tokens, appid for the emulator. */
function appIdOf(identity: ClaimsIdentity): string {
  return identity.getClaimValue("aud") ?? identity.getClaimValue("appid") ?? "";
}

function cached(
  factory: ConnectorFactory,
  cache: ClientCache<Awaited<ReturnType<ConnectorFactory["create"]>>>,
  appId: string,
): ConnectorFactory {
  return {
    create(serviceUrl: string, audience?: string) {
      // Without an explicit audience the factory picks one itself: build, do not share.
      if (audience === undefined) return factory.create(serviceUrl);
      return cache.get(`${appId}\n${serviceUrl}\n${audience}`, () => factory.create(serviceUrl, audience));
    },
  };
}

/**
 * botbuilder's standard authentication, with its connector and user token clients built once per
 * key instead of once per turn.
 */
class TeamsBotAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectors = new ClientCache<Awaited<ReturnType<ConnectorFactory["create"]>>>();
  private readonly tokenClients = new ClientCache<UserTokenClient>();

  override createConnectorFactory(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>
  ) {
    return cached(super.createConnectorFactory(...args), this.connectors, appIdOf(args[0]));
  }

  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>
  ) {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory
      ? {
          ...result,
          connectorFactory: cached(result.connectorFactory, this.connectors, appIdOf(result.claimsIdentity)),
        }
      : result;
  }

  override createUserTokenClient(identity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(appIdOf(identity), () => super.createUserTokenClient(identity));
  }
}

export function createBotAuthentication(
  c: TeamsCredentials,
  mode: Exclude<TeamsAuthMode, { kind: "closed" }>,
): ConfigurationBotFrameworkAuthentication {
  if (mode.kind === "open") return new TeamsBotAuthentication({});
  return new TeamsBotAuthentication({
    MicrosoftAppId: mode.appId,
    MicrosoftAppPassword: c.appPassword ?? "",
    MicrosoftAppTenantId: c.tenantId ?? "",
    MicrosoftAppType: c.appType ?? "MultiTenant",
    ...(c.openIdMetadataUrl
      ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: c.openIdMetadataUrl }
      : {}),
  });
}
