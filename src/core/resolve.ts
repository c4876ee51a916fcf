// Text → Answer. Order of reasoning: help; "what's new"; projects named in the text
// (longest name or alias first, ambiguous short names become a choice); list filters
// (area, topic, maturity, lifecycle); words of the goals; typos (fuse.js); not found.
import {
  type AlternativesAnswer,
  type Answer,
  type AnswerSource,
  type Focus,
  type Intent,
  type ListAnswer,
  type ProjectAnswer,
  summarize,
} from "./answer.js";
import type { Project } from "./catalog-schema.js";
import { helpAnswer } from "./help.js";
import { type CatalogIndex, stem } from "./search-index.js";
import { queryKey } from "./text.js";
import {
  ALTERNATIVE_PATTERNS,
  AZURE_PATTERNS,
  BOT_NAMES,
  CONTACT_PATTERNS,
  HELP_PHRASES,
  INTENT_WORDS,
  LIFECYCLE_FILTERS,
  LIST_ALL,
  MATURITY_FILTERS,
  STATUS_PATTERNS,
  STOP_WORDS,
  WHATS_NEW,
} from "./vocabulary.js";
import { whatsNew } from "./whats-new.js";

/** Fuse scores run 0 (exact) to 1; below this a typo is taken as meant. */
const CONFIDENT_TYPO = 0.3;
/** Two candidates closer than this are offered as a choice rather than guessed between. */
const TIE_MARGIN = 0.04;
/** Bitap's pattern limit: longer patterns cost more and match worse (fuse.js docs). */
const FUZZY_MAX_CHARS = 32;
const MAX_CHOICES = 5;
/** Kubernetes API versions: v1, v2, v1beta1, v1alpha3… */
const API_VERSION = /^v\d+(?:(?:alpha|beta)\d*)?$/;
/** Shorter/longer length of a typo and the name it stands for ("gatekeepr" / "opa gatekeeper" = 0.64). */
const TYPO_LENGTH_RATIO = 0.6;

interface Ask {
  query: string;
  source: AnswerSource;
  key: string;
  words: string[];
  wantsAlternatives: boolean;
  wantsStatus: boolean;
  wantsContact: boolean;
  wantsAzure: boolean;
}

export function resolveQuery(index: CatalogIndex, source: AnswerSource, query: string): Answer {
  const ask = readAsk(query, source);
  const base = { query, source, reportUrl: index.reportUrl() };
  if (!ask.key || HELP_PHRASES.includes(ask.key)) return helpAnswer(index, source, query);
  if (WHATS_NEW.some((re) => re.test(ask.key))) return whatsNew(index, base);

  const named = namedProjects(index, ask.words);
  if (named.projects.length === 1) return aboutProject(index, ask, named.projects[0] as Project);
  if (named.projects.length > 1) {
    const retired = named.projects.find((p) => p.lifecycle !== "active");
    if ((ask.wantsAlternatives || ask.wantsStatus) && retired) return aboutProject(index, ask, retired);
    return choices(base, named.projects, "Which of these do you mean?");
  }
  if (named.ambiguous.length) {
    const options = named.ambiguous.map((id) => index.byId.get(id)).filter((p): p is Project => !!p);
    return choices(base, options, `"${named.ambiguousKey}" could mean several projects. Which one?`);
  }

  const replaced = findPhrases(ask.words, (ph) => index.successorOf.has(ph))
    .flatMap((ph) => index.successorOf.get(ph) ?? [])
    .map((id) => index.byId.get(id));
  if (replaced.length === 1 && replaced[0])
    return aboutProject(index, { ...ask, wantsAlternatives: true }, replaced[0]);

  const byWords = projectsByWords(index, ask.words);
  const list = listFor(index, ask, base);
  if (list) {
    // "a tool that patches container images": the words say more than the topic; one clear project wins.
    if (byWords.length === 1 && list.leftover.length > 0)
      return aboutProject(index, ask, byWords[0] as Project);
    if (list.answer.projects.length === 1 && list.subjectOnly) {
      const only = index.byId.get(list.answer.projects[0]?.id ?? "");
      if (only) return aboutProject(index, ask, only);
    }
    return list.answer;
  }

  if (byWords.length === 1) return aboutProject(index, ask, byWords[0] as Project);
  if (byWords.length > 1) return choices(base, byWords, "These projects match. Which one?");

  const typo = fuzzy(index, ask.words);
  if (typo.kind === "one") return aboutProject(index, ask, typo.project);
  if (typo.kind === "tie") return choices(base, typo.projects, "Did you mean one of these?");

  // "help me", "slack?", "thanks": nothing to look up, so say what can be asked.
  if (ask.words.every((w) => STOP_WORDS.has(w) || INTENT_WORDS.has(w)))
    return helpAnswer(index, source, query);

  return {
    ...base,
    kind: "not_found",
    intent: "unknown",
    suggestions: typo.near.slice(0, 3).map(summarize),
  };
}

function readAsk(query: string, source: AnswerSource): Ask {
  let key = queryKey(query);
  for (const name of BOT_NAMES)
    if (key.startsWith(`${name} `)) {
      key = key.slice(name.length + 1);
      break;
    } else if (key === name) key = "";
  const test = (res: RegExp[]) => res.some((re) => re.test(key));
  return {
    query,
    source,
    key,
    words: key ? key.split(" ") : [],
    wantsAlternatives: test(ALTERNATIVE_PATTERNS),
    wantsStatus: test(STATUS_PATTERNS),
    wantsContact: test(CONTACT_PATTERNS),
    wantsAzure: test(AZURE_PATTERNS),
  };
}

/**
 * Projects named in the words, longest phrase first, without overlaps. A phrase that is an
 * ambiguous short name ("kms") counts only when no longer phrase names one project.
 */
function namedProjects(
  index: CatalogIndex,
  words: string[],
): { projects: Project[]; ambiguous: string[]; ambiguousKey?: string } {
  const used = new Array<boolean>(words.length).fill(false);
  const ids: string[] = [];
  let ambiguous: string[] = [];
  let ambiguousKey: string | undefined;
  for (let len = Math.min(index.maxKeyWords, words.length); len >= 1; len--) {
    for (let i = 0; i + len <= words.length; i++) {
      if (used.slice(i, i + len).some(Boolean)) continue;
      const phrase = words.slice(i, i + len).join(" ");
      if (len === 1 && STOP_WORDS.has(phrase)) continue;
      const id = index.exact.get(phrase);
      if (id) {
        if (!ids.includes(id)) ids.push(id);
        used.fill(true, i, i + len);
        continue;
      }
      const amb = index.ambiguous.get(phrase);
      if (amb && ambiguous.length === 0) {
        ambiguous = amb;
        ambiguousKey = phrase;
        used.fill(true, i, i + len);
      }
    }
  }
  const projects = ids.map((id) => index.byId.get(id)).filter((p): p is Project => !!p);
  // A named project settles an ambiguous word next to it ("kms plugin for key vault").
  if (projects.length) return { projects, ambiguous: [] };
  return { projects, ambiguous, ...(ambiguousKey ? { ambiguousKey } : {}) };
}

function aboutProject(index: CatalogIndex, ask: Ask, p: Project): ProjectAnswer | AlternativesAnswer {
  const base = { query: ask.query, source: ask.source, reportUrl: index.reportUrl(p.name) };
  const retired = p.lifecycle !== "active";
  if (retired && (ask.wantsAlternatives || ask.wantsStatus)) {
    return {
      ...base,
      kind: "alternatives",
      intent: "alternatives",
      project: p,
      alternatives: p.successors,
      ...(p.noSuccessor ? { noSuccessorReason: p.noSuccessor.wording } : {}),
    };
  }
  let focus: Focus | undefined;
  let intent: Intent = "project";
  let statusLine: string | undefined;
  if (ask.wantsAlternatives || ask.wantsStatus) {
    focus = "status";
    intent = ask.wantsAlternatives ? "alternatives" : "status";
    statusLine = activeStatusLine(p);
  } else if (ask.wantsContact) {
    focus = "contact";
    intent = "contact";
  } else if (ask.wantsAzure) {
    focus = "azure";
    intent = "azure";
  }
  return {
    ...base,
    kind: "project",
    intent,
    project: p,
    ...(focus ? { focus } : {}),
    ...(statusLine ? { statusLine } : {}),
  };
}

function activeStatusLine(p: Project): string {
  const parts = [`${p.name} is active and not deprecated; nothing replaces it.`];
  if (p.listed !== true)
    parts.push(
      `It is no longer on the upstream list (last listed ${p.listed.date}), but that is not a deprecation.`,
    );
  else if (p.pastProject)
    parts.push("The Azure team lists it under Past Projects: it no longer works on it actively.");
  return parts.join(" ");
}

function choices(base: AnswerBaseLike, projects: Project[], prompt: string): Answer {
  return {
    ...base,
    kind: "choices",
    intent: "project",
    prompt,
    projects: projects.slice(0, MAX_CHOICES).map(summarize),
  };
}

type AnswerBaseLike = { query: string; source: AnswerSource; reportUrl: string };

/** Area, topic, maturity and lifecycle words → a filtered list; null when the text has none. */
interface ListMatch {
  answer: ListAnswer;
  /** Content words that no filter used: a sign the person described a project rather than a group. */
  leftover: string[];
  /** Only area/topic words, no maturity or lifecycle filter. */
  subjectOnly: boolean;
}

function listFor(index: CatalogIndex, ask: Ask, base: AnswerBaseLike): ListMatch | null {
  const { catalog } = index;
  const rest = ask.words.filter((w) => !STOP_WORDS.has(w));
  const key = rest.join(" ");
  const wantsAll =
    LIST_ALL.has(ask.key) || LIST_ALL.has(key) || (rest.length === 0 && ask.words.includes("list"));

  const phrases = findPhrases(
    ask.words,
    (ph) =>
      index.areaKeys.has(ph) ||
      index.topicKeys.has(ph) ||
      MATURITY_FILTERS.some(([k]) => k === ph) ||
      LIFECYCLE_FILTERS.some(([k]) => k === ph),
  );
  const areas = new Set<string>();
  const topics = new Set<string>();
  const maturity = new Map<string, (p: Project) => boolean>();
  const lifecycle = new Map<string, (p: Project) => boolean>();
  for (const ph of phrases) {
    const area = index.areaKeys.get(ph);
    const topic = index.topicKeys.get(ph);
    if (area) areas.add(area);
    if (topic) topics.add(topic);
    if (area || topic) continue;
    const m = MATURITY_FILTERS.find(([k]) => k === ph)?.[1];
    if (m) maturity.set(m.label, m.test);
    const l = LIFECYCLE_FILTERS.find(([k]) => k === ph)?.[1];
    if (l) lifecycle.set(l.label, l.test);
  }
  // "v1beta1 apis": an API version named in the text filters on the list's API column.
  for (const w of ask.words)
    if (API_VERSION.test(w))
      maturity.set(`API ${w}`, (p) =>
        (p.maturity.api ?? "")
          .toLowerCase()
          .split(/[^a-z0-9]+/)
          .includes(w),
      );
  if (!wantsAll && areas.size === 0 && topics.size === 0 && maturity.size === 0 && lifecycle.size === 0)
    return null;

  const pastArea = catalog.areas.find((a) => a.id === "past-projects")?.id;
  const subject = (p: Project) =>
    (areas.size === 0 && topics.size === 0) ||
    areas.has(p.areaId) ||
    p.topics.some((t) => topics.has(t)) ||
    (pastArea !== undefined && areas.has(pastArea) && p.listed !== true);
  const filters = [...maturity.values(), ...lifecycle.values()];
  // Delisted projects appear only when asked about history or lifecycle, never in "list".
  const includeDelisted =
    lifecycle.size > 0 || topics.size > 0 || (pastArea !== undefined && areas.has(pastArea));
  const projects = catalog.projects.filter(
    (p) => (includeDelisted || p.listed === true) && subject(p) && filters.every((f) => f(p)),
  );

  const titleParts = [
    ...[...areas].map((id) => catalog.areas.find((a) => a.id === id)?.name ?? id),
    ...[...topics].map((id) => catalog.topics.find((t) => t.id === id)?.label ?? id),
  ];
  const facets = [...maturity.keys(), ...lifecycle.keys()];
  const title =
    titleParts.length === 0 && facets.length === 0
      ? `All ${projects.length} projects on the list`
      : `${[titleParts.join(" / "), facets.join(", ")].filter(Boolean).join(" · ")} (${projects.length})`;
  const covered = new Set(phrases.flatMap((ph) => ph.split(" ")));
  const leftover = rest.filter((w) => !covered.has(w) && !INTENT_WORDS.has(w));
  return {
    answer: { ...base, kind: "list", intent: "list", title, projects: projects.map(summarize) },
    leftover,
    subjectOnly: !wantsAll && maturity.size === 0 && lifecycle.size === 0,
  };
}

/** Non-overlapping phrases of the words that `known` accepts, longest first. */
function findPhrases(words: string[], known: (phrase: string) => boolean): string[] {
  const used = new Array<boolean>(words.length).fill(false);
  const out: string[] = [];
  for (let len = Math.min(4, words.length); len >= 1; len--)
    for (let i = 0; i + len <= words.length; i++) {
      if (used.slice(i, i + len).some(Boolean)) continue;
      const ph = words.slice(i, i + len).join(" ");
      if (len === 1 && STOP_WORDS.has(ph)) continue;
      if (known(ph)) {
        out.push(ph);
        used.fill(true, i, i + len);
      }
    }
  return out;
}

/** "a tool that patches container images" → the projects whose goal shares most of those words. */
function projectsByWords(index: CatalogIndex, words: string[]): Project[] {
  const content = [
    ...new Set(words.filter((w) => w.length >= 3 && !STOP_WORDS.has(w) && !INTENT_WORDS.has(w))),
  ].map(stem);
  if (content.length < 2) return [];
  const scored = [...index.words]
    .map(([id, set]) => ({ id, score: content.filter((w) => set.has(w)).length }))
    .filter((s) => s.score >= 2)
    .sort((a, b) => b.score - a.score);
  const top = scored[0];
  if (!top) return [];
  // Need most of the content words to match; otherwise common words ("kubernetes clusters") decide.
  if (top.score < Math.ceil(content.length * 0.6)) return [];
  const best = scored.filter((s) => s.score === top.score);
  return best.map((s) => index.byId.get(s.id)).filter((p): p is Project => !!p);
}

type Fuzzy =
  | { kind: "one"; project: Project }
  | { kind: "tie"; projects: Project[] }
  | { kind: "none"; near: Project[] };

/** Typos: the whole subject, then each longer word, against every name and alias. */
function fuzzy(index: CatalogIndex, words: string[]): Fuzzy {
  const subject = words.filter((w) => !STOP_WORDS.has(w) && !INTENT_WORDS.has(w));
  const candidates = [subject.join(" "), ...(subject.length > 1 ? subject.filter((w) => w.length >= 4) : [])]
    .map((s) => s.slice(0, FUZZY_MAX_CHARS))
    // Three letters or fewer ("aks") are abbreviations: only an exact name or alias stands for them.
    .filter((s) => s.length >= 4);
  const best = new Map<string, number>();
  for (const c of candidates)
    for (const { entry, score } of index.typos(c, 8)) {
      // Short keys ("vk", "osm") match almost anything loosely; require them to be near-exact.
      if (entry.key.length <= 3 && score > 0.1) continue;
      // A typo keeps roughly the word's length; "date" inside "gatekeeper" is not a typo of it.
      const ratio = Math.min(c.length, entry.key.length) / Math.max(c.length, entry.key.length);
      if (ratio < TYPO_LENGTH_RATIO) continue;
      const prev = best.get(entry.id);
      if (prev === undefined || score < prev) best.set(entry.id, score);
    }
  const ranked = [...best].sort((a, b) => a[1] - b[1]);
  const projects = (ids: [string, number][]) =>
    ids.map(([id]) => index.byId.get(id)).filter((p): p is Project => !!p);
  const top = ranked[0];
  if (top && top[1] <= CONFIDENT_TYPO) {
    const tied = ranked.filter(([, s]) => s - top[1] <= TIE_MARGIN);
    if (tied.length === 1) return { kind: "one", project: index.byId.get(top[0]) as Project };
    return { kind: "tie", projects: projects(tied.slice(0, MAX_CHOICES)) };
  }
  return { kind: "none", near: projects(ranked.filter(([, s]) => s <= 0.45)) };
}
