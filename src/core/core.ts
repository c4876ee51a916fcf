// The core's one entry point for every adapter: text in, Answer out. Pure over the
// catalog it was built with; a live refresh builds a new Core and swaps it whole.
import { type Answer, type AnswerSource, needsWarning, type ProjectAnswer, summarize } from "./answer.js";
import type { Catalog, Project } from "./catalog-schema.js";
import { deepFreeze } from "./freeze.js";
import { helpAnswer } from "./help.js";
import { resolveQuery } from "./resolve.js";
import { buildIndex, type CatalogIndex } from "./search-index.js";
import { cleanChatText } from "./text.js";

export interface AreaOverview {
  id: string;
  name: string;
  projects: ReturnType<typeof summarize>[];
}

/** What App Home and the Teams welcome show: the catalog at a glance. */
export interface Overview {
  source: AnswerSource;
  reportUrl: string;
  total: number;
  areas: AreaOverview[];
  /** Deprecated, archived or delisted projects with what replaced them. */
  retired: {
    project: ReturnType<typeof summarize>;
    successors: Project["successors"];
    noSuccessor?: string;
  }[];
}

export interface Core {
  /** Anything a person typed, markup and all. Never throws. */
  ask(text: string): Answer;
  /** A button click: a project id → its card; an unknown id → not_found. */
  project(id: string): Answer;
  /** A pasted URL → the card of the catalog project it belongs to, or null. */
  unfurl(url: string): ProjectAnswer | null;
  overview(): Overview;
  readonly catalog: Catalog;
  readonly source: AnswerSource;
}

export function bundledSource(catalog: Catalog): AnswerSource {
  return { origin: "bundled", snapshot: catalog.snapshot, upstreamUrl: catalog.upstream.repository };
}

export function createCore(catalog: Catalog, source: AnswerSource = bundledSource(catalog)): Core {
  // Answers hand out the catalog's own objects, and adapters cache answers across requests.
  deepFreeze(catalog);
  deepFreeze(source);
  const index = buildIndex(catalog);
  return {
    catalog,
    source,
    ask: (text) => safely(index, source, text),
    project: (id) => {
      const p = index.byId.get(id);
      return p ? projectCard(index, source, p, id) : safely(index, source, id);
    },
    unfurl: (url) => {
      const p = index.byUrl(url);
      return p ? projectCard(index, source, p, url) : null;
    },
    overview: () => overview(index, source),
  };
}

function safely(index: CatalogIndex, source: AnswerSource, raw: string): Answer {
  const text = cleanChatText(typeof raw === "string" ? raw : "");
  try {
    return resolveQuery(index, source, text);
  } catch {
    // A resolver bug must cost one answer, not the process: fall back to help.
    return helpAnswer(index, source, text);
  }
}

function projectCard(index: CatalogIndex, source: AnswerSource, p: Project, query: string): ProjectAnswer {
  return {
    kind: "project",
    query,
    intent: "project",
    project: p,
    source,
    reportUrl: index.reportUrl(p.name),
  };
}

function overview(index: CatalogIndex, source: AnswerSource): Overview {
  const { catalog } = index;
  return {
    source,
    reportUrl: index.reportUrl(),
    total: catalog.projects.length,
    areas: catalog.areas.map((a) => ({
      id: a.id,
      name: a.name,
      projects: catalog.projects.filter((p) => p.areaId === a.id).map(summarize),
    })),
    retired: catalog.projects.filter(needsWarning).map((p) => ({
      project: summarize(p),
      successors: p.successors,
      ...(p.noSuccessor ? { noSuccessor: p.noSuccessor.wording } : {}),
    })),
  };
}
