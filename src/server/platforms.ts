// The Slack and Teams handlers the server routes to, built from the configuration. Handlers can be
// rebuilt when a secret file rotates: the new handler takes new requests at once, the old one
// finishes its background work and is then stopped.
import type { Config, SlackConfig, TeamsConfig } from "../config.js";
import type { Core } from "../core/core.js";
import type { Logger } from "../log.js";
import type { PlatformHandler } from "../platform-handler.js";
import { createMemoryEventStore } from "../slack/event-store.js";
import type { SlackOptions } from "../slack/index.js";
import type { TeamsOptions } from "../teams/index.js";
import { createReplayGuard } from "../teams/replay-guard.js";
import type { Telemetry } from "../telemetry.js";
import type { PlatformRoute } from "./http-server.js";

/** What every adapter factory receives besides its credentials. */
export interface AdapterContext {
  getCore: () => Core;
  telemetry: Telemetry;
  logger: Logger;
  bodyLimitBytes: number;
}

/** The adapters' factories (src/slack, src/teams); tests pass fakes with the same shape. */
export interface PlatformFactories {
  slack(opts: SlackOptions): Promise<SlackHandler>;
  teams(opts: TeamsOptions): PlatformHandler | Promise<PlatformHandler>;
}

export type SlackHandler = PlatformHandler & { mode: "http" | "socket" };

/** Loaded on first use, so a Slack-only server never loads botbuilder and vice versa. */
export const adapterFactories: PlatformFactories = {
  slack: async (opts) => (await import("../slack/index.js")).createSlackHandler(opts),
  teams: async (opts) => (await import("../teams/index.js")).createTeamsHandler(opts),
};

type Slot<C, H extends PlatformHandler> = { config: C; handler: H | null };

export class PlatformSet {
  private slack: Slot<SlackConfig | null, SlackHandler> = { config: null, handler: null };
  private teams: Slot<TeamsConfig, PlatformHandler> = { config: { mode: "off" }, handler: null };
  /** Replaced handlers still finishing background work. */
  private retiring = new Set<Promise<void>>();
  /**
   * Which Slack events and Teams activities were already answered: one store for the life of the
   * process, so a handler rebuilt by a secret rotation still recognises a redelivery (cases 16, 42).
   */
  private readonly slackEvents = createMemoryEventStore();
  private readonly teamsReplays = createReplayGuard();

  constructor(
    private readonly factories: PlatformFactories,
    private readonly ctx: AdapterContext,
  ) {}

  /**
   * Builds the handlers whose configuration changed. A handler that fails to build throws
   * before anything is swapped, so a bad rotation leaves the working handlers in place.
   */
  async apply(config: Pick<Config, "slack" | "teams">): Promise<("slack" | "teams")[]> {
    const slackChanged = JSON.stringify(config.slack) !== JSON.stringify(this.slack.config);
    const teamsChanged = JSON.stringify(config.teams) !== JSON.stringify(this.teams.config);
    const nextSlack = slackChanged && config.slack ? await this.buildSlack(config.slack) : null;
    let nextTeams: PlatformHandler | null = null;
    try {
      nextTeams = teamsChanged && config.teams.mode !== "off" ? await this.buildTeams(config.teams) : null;
    } catch (e) {
      if (nextSlack) await nextSlack.stop().catch(() => {});
      throw e;
    }
    const changed: ("slack" | "teams")[] = [];
    if (slackChanged) {
      this.retire(this.slack.handler);
      this.slack = { config: config.slack, handler: nextSlack };
      changed.push("slack");
    }
    if (teamsChanged) {
      this.retire(this.teams.handler);
      this.teams = { config: config.teams, handler: nextTeams };
      changed.push("teams");
    }
    return changed;
  }

  route(platform: "slack" | "teams"): PlatformRoute {
    if (platform === "slack") {
      const h = this.slack.handler;
      if (!h) return { state: "off", status: 404, reason: "Slack is not configured on this server" };
      if (h.mode === "socket")
        return { state: "off", status: 404, reason: "Slack runs in Socket Mode on this server" };
      return { state: "enabled", handler: h };
    }
    const h = this.teams.handler;
    return h
      ? { state: "enabled", handler: h }
      : { state: "off", status: 404, reason: "Teams is not configured on this server" };
  }

  describe(): Record<string, string> {
    return {
      slack: !this.slack.handler
        ? "disabled"
        : this.slack.handler.mode === "socket"
          ? "socket-mode"
          : "enabled",
      teams: !this.teams.handler
        ? "disabled"
        : this.teams.config.mode === "local-only"
          ? "local-only"
          : "enabled",
    };
  }

  /** Resolves when every handler, current or replaced, has finished its background work. */
  async drain(): Promise<void> {
    await Promise.all([this.slack.handler?.drain(), this.teams.handler?.drain(), ...this.retiring]);
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.slack.handler?.stop(), this.teams.handler?.stop()]);
  }

  private retire(handler: PlatformHandler | null) {
    if (!handler) return;
    const done: Promise<void> = handler
      .drain()
      .then(() => handler.stop())
      .catch((e: unknown) => {
        this.ctx.logger.warn(
          { err: e instanceof Error ? e.message : String(e) },
          "stopping a replaced handler failed",
        );
      })
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  private buildSlack(c: SlackConfig): Promise<SlackHandler> {
    return this.factories.slack({
      ...this.ctx,
      eventStore: this.slackEvents,
      botToken: c.botToken,
      signingSecret: c.signingSecret,
      ...(c.appToken ? { appToken: c.appToken } : {}),
      ...(c.botId ? { botId: c.botId } : {}),
      ...(c.botUserId ? { botUserId: c.botUserId } : {}),
      ...(c.apiUrl ? { slackApiUrl: c.apiUrl } : {}),
    });
  }

  private async buildTeams(c: Exclude<TeamsConfig, { mode: "off" }>): Promise<PlatformHandler> {
    // The adapters add their own { platform } log binding.
    const shared = { ...this.ctx, replayGuard: this.teamsReplays };
    if (c.mode === "local-only") return this.factories.teams({ ...shared, allowUnauthenticated: true });
    return this.factories.teams({
      ...shared,
      allowUnauthenticated: false,
      appId: c.appId,
      appType: c.appType,
      ...(c.appPassword ? { appPassword: c.appPassword } : {}),
      ...(c.tenantId ? { tenantId: c.tenantId } : {}),
      ...(c.openIdMetadataUrl ? { openIdMetadataUrl: c.openIdMetadataUrl } : {}),
    });
  }
}
