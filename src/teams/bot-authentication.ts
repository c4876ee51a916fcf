// Which inbound requests the Teams endpoint accepts, from the standard Bot Framework settings,
// and the botbuilder authentication object that checks them (JWT from the Bot Framework channel)
// and makes the connectors replies go through (with our retry policy).
// https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
import { ConfigurationBotFrameworkAuthentication } from "botbuilder";
import { type PipelinePolicyLike, replaceRetryPolicy } from "./outbound-retry.js";

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

function withPolicy(factory: ConnectorFactory, policy: PipelinePolicyLike): ConnectorFactory {
  return {
    async create(serviceUrl: string, audience?: string) {
      const connector = await factory.create(serviceUrl, audience);
      replaceRetryPolicy(connector, policy);
      return connector;
    },
  };
}

/** botbuilder's standard authentication, with our retry policy on every connector it makes. */
class TeamsBotAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[0],
    private readonly policy: PipelinePolicyLike,
  ) {
    super(options);
  }

  override createConnectorFactory(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication["createConnectorFactory"]>
  ) {
    return withPolicy(super.createConnectorFactory(...args), this.policy);
  }

  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>
  ) {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory
      ? { ...result, connectorFactory: withPolicy(result.connectorFactory, this.policy) }
      : result;
  }
}

export function createBotAuthentication(
  c: TeamsCredentials,
  mode: Exclude<TeamsAuthMode, { kind: "closed" }>,
  policy: PipelinePolicyLike,
): ConfigurationBotFrameworkAuthentication {
  if (mode.kind === "open") return new TeamsBotAuthentication({}, policy);
  return new TeamsBotAuthentication(
    {
      MicrosoftAppId: mode.appId,
      MicrosoftAppPassword: c.appPassword ?? "",
      MicrosoftAppTenantId: c.tenantId ?? "",
      MicrosoftAppType: c.appType ?? "MultiTenant",
      ...(c.openIdMetadataUrl
        ? { ...PUBLIC_CLOUD, ToBotFromChannelOpenIdMetadataUrl: c.openIdMetadataUrl }
        : {}),
    },
    policy,
  );
}
