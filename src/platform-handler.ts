// The contract between the HTTP server and each chat platform adapter: the server owns the
// socket and routing; an adapter owns everything about its own requests (body reading with
// a size cap, authentication, parsing, replies). Nothing platform-specific crosses this line.
import type { IncomingMessage, ServerResponse } from "node:http";

export interface PlatformHandler {
  /** Handles one request on the adapter's route; must always end the response, never throw. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Resolves when background work started by earlier requests (replies, posts) has finished. */
  drain(): Promise<void>;
  /** Releases sockets/timers (e.g. Socket Mode). Called once at shutdown after drain(). */
  stop(): Promise<void>;
}
