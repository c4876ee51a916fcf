#!/usr/bin/env node
// The `upstream` command: ask the catalog from a terminal, run the local chat, start the
// server, and build or check the catalog. Bad usage prints a short usage text and exits 2.
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { CatalogValidationError } from "../catalog/build-catalog.js";
import {
  buildFromData,
  committedCatalogDiffers,
  loadCatalogFile,
  summaryLine,
  writeCatalog,
} from "../catalog/catalog-files.js";
import { catalogDiff, DiffInputError, formatDiffReport } from "../catalog/diff-command.js";
import { wantsServer } from "../config.js";
import { type Core, createCore } from "../core/core.js";
import { renderText } from "./render-text.js";

export const USAGE = `usage:
  upstream <question…>              answer as a terminal card
  upstream --json <question…>       answer as JSON (the Answer contract)
  upstream --json --batch           one question per stdin line, one JSON answer per line
  upstream chat                     interactive local chat (Ctrl-D to quit)
  upstream start                    the server when Slack or Teams is configured, else the local chat
  upstream serve                    the HTTP server for Slack and Teams (variables: .env.example)
  upstream catalog build|check      regenerate or verify data/catalog.json
  upstream catalog diff [file-or-url] [--json]
                                    what that list would change against the bundled catalog
                                    (no argument: the newest bundled snapshot against the previous one)`;

const LOCAL_BANNER = `upstream-bot: local chat (no Slack or Teams credentials configured).
  Slack: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see manifests/slack/manifest.yaml).
  Teams: set MicrosoftAppId and MicrosoftAppPassword (see manifests/teams/).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    return usage(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;

  if (command === "catalog" && !values.batch) return catalogCommand(rest, values.json ?? false);
  if (command === "chat" && rest.length === 0 && !values.json && !values.batch)
    return chat(createCore(loadCatalogFile()));
  if (command === "serve" && rest.length === 0 && !values.json && !values.batch) return serve();
  if (command === "start" && rest.length === 0 && !values.json && !values.batch)
    return wantsServer(process.env) ? serve() : chat(createCore(loadCatalogFile()), LOCAL_BANNER);
  if (values.batch) {
    if (!values.json) return usage("--batch needs --json");
    if (positionals.length) return usage("--batch reads questions from stdin, not from arguments");
    return batch(createCore(loadCatalogFile()));
  }
  if (positionals.length === 0) return usage("no question given");
  const core = createCore(loadCatalogFile());
  const answer = core.ask(positionals.join(" "));
  process.stdout.write(
    values.json
      ? `${JSON.stringify(answer)}\n`
      : `${renderText(answer, { color: !!process.stdout.isTTY })}\n`,
  );
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean" },
      batch: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function usage(problem: string): number {
  process.stderr.write(`upstream: ${problem}\n${USAGE}\n`);
  return 2;
}

async function batch(core: Core): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) process.stdout.write(`${JSON.stringify(core.ask(line))}\n`);
  return 0;
}

/** Loaded on demand so that one-shot questions and the local chat never load the server and its SDKs. */
async function serve(): Promise<number> {
  const { startFromEnvironment } = await import("../server/start.js");
  return startFromEnvironment();
}

export async function chat(core: Core, banner?: string): Promise<number> {
  const color = !!process.stdout.isTTY;
  if (banner) process.stdout.write(`${banner}\n`);
  process.stdout.write(
    'Ask about a project ("eraser", "what replaced aad pod identity?"). "help" for more, Ctrl-D to quit.\n',
  );
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: !!process.stdin.isTTY,
    historySize: 200,
    prompt: "upstream> ",
  });
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === "exit" || text === "quit") break;
    if (text) process.stdout.write(`${renderText(core.ask(text), { color })}\n\n`);
    rl.prompt();
  }
  rl.close();
  process.stdout.write("\n");
  return 0;
}

async function catalogCommand(args: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "diff" && rest.length <= 1) return diffCommand(rest[0], json);
  try {
    if (sub === "build" && rest.length === 0) {
      const c = buildFromData();
      writeCatalog(c);
      process.stdout.write(`${summaryLine(c)}\n`);
      return 0;
    }
    if (sub === "check" && rest.length === 0) {
      const c = buildFromData();
      const differs = committedCatalogDiffers(c);
      process.stdout.write(`${summaryLine(c)}\n`);
      if (differs) {
        process.stderr.write(`catalog:check: ${differs}\n`);
        return 1;
      }
      return 0;
    }
  } catch (e) {
    if (e instanceof CatalogValidationError) {
      process.stderr.write(`catalog: ${e.problems.length} validation error(s)\n${e.message}\n`);
      return 1;
    }
    throw e;
  }
  return usage(`unknown catalog command: ${args.join(" ") || "(none)"}`);
}

async function diffCommand(arg: string | undefined, json: boolean): Promise<number> {
  try {
    const report = await catalogDiff(arg, { json });
    process.stdout.write(`${formatDiffReport(report, { json, color: !json && !!process.stdout.isTTY })}\n`);
    return 0;
  } catch (e) {
    if (e instanceof DiffInputError || e instanceof CatalogValidationError) {
      process.stderr.write(`upstream catalog diff: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(
      `upstream: ${e instanceof UsageError ? e.message : e instanceof Error ? e.stack : String(e)}\n`,
    );
    process.exitCode = 1;
  },
);
