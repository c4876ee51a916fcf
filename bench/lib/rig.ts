// What every benchmark starts with: pinning checked and this process on the load core, the local
// edge serving a channel key, a channel token signed with it, and the load generator.
import { channelClaims, makeKey, signToken } from "../../test/support/bot-framework-token.js";
import { type LocalEdge, startLocalEdge } from "../../test/support/local-edge.js";
import { APP_ID } from "./constants.js";
import { BUILD_DIR } from "./paths.js";
import { checkPinning, LOAD_CPU, type LoadGenerator, pinSelf, startLoadGenerator } from "./processes.js";

export interface Rig {
  edge: LocalEdge;
  /** A valid channel JWT for Teams requests, signed with the key the edge serves. */
  token: string;
  load: LoadGenerator;
}

export async function startRig(keyName: string): Promise<Rig> {
  checkPinning();
  pinSelf(LOAD_CPU);
  const key = makeKey(keyName);
  const edge = await startLocalEdge({ keys: [key] });
  const token = signToken(key, channelClaims(APP_ID, edge.serviceUrl));
  const load = await startLoadGenerator(`${BUILD_DIR}load-worker.js`, LOAD_CPU);
  return { edge, token, load };
}
