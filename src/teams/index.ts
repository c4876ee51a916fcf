// The Teams adapter's public surface: the server mounts createTeamsHandler(...).handle at
// POST /api/messages. Everything botbuilder-specific stays inside src/teams/.
export { type TeamsAppType, TeamsConfigError } from "./bot-authentication.js";
export { createTeamsHandler, DEFAULT_BODY_LIMIT_BYTES, type TeamsOptions } from "./handler.js";
export type { RetryOptions } from "./outbound-retry.js";
export type { ReplayGuard } from "./replay-guard.js";
