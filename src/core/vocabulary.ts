// The words people use to ask things: intents, stop words, maturity and lifecycle
// filters. Language, not catalog facts; the catalog brings its own area/topic words.
import type { Project } from "./catalog-schema.js";

/** Phrases are matched on matchKey() text (lower case, single spaces) at word boundaries. */
export const HELP_PHRASES = [
  "help",
  "hi",
  "hello",
  "hey",
  "hey there",
  "hello there",
  "start",
  "menu",
  "usage",
  "commands",
  "what can you do",
  "what do you do",
  "how do i use this",
  "how do i use you",
  "how does this work",
  "who are you",
  "what are you",
];

export const BOT_NAMES = ["upstream bot", "upstream", "upstreambot"];

export const WHATS_NEW = [
  /\bwhat s new\b/,
  /\bwhats new\b/,
  /\bwhat is new\b/,
  /\bwhat changed\b/,
  /\bwhat has changed\b/,
  /\brecent changes\b/,
  /\bchangelog\b/,
  /\bnew projects\b/,
  /\bnewly added\b/,
  /\brecently added\b/,
];

/** Asking for what to use instead. */
export const ALTERNATIVE_PATTERNS = [
  /\breplac(e|ed|es|ing|ement|ements)\b/,
  /\balternatives?\b/,
  /\binstead\b/,
  /\bsuccessors?\b/,
  /\bmigrat(e|ion|ing)\b/,
  /\bmove (off|away|from)\b/,
  /\bwhat (should|do|can) (i|we) use\b/,
  /\buse now\b/,
  /\bsubstitute\b/,
];

/** Asking whether it is still alive. */
export const STATUS_PATTERNS = [
  /\bdeprecated\b/,
  /\bdeprecat(e|ion)\b/,
  /\bsupported\b/,
  /\bsupport(ed)? still\b/,
  /\bmaintained\b/,
  /\barchived\b/,
  /\bdead\b/,
  /\bretired?\b/,
  /\bend of life\b/,
  /\beol\b/,
  /\bsunset\b/,
  /\babandoned\b/,
  /\bstill (alive|active|around|used|a thing|developed)\b/,
  /\bstatus\b/,
  /\bwhat happened (to|with)\b/,
  /\bgone\b/,
  /\bsafe to use\b/,
];

/** Asking who to talk to or where to file a bug. */
export const CONTACT_PATTERNS = [
  /\bcontact\b/,
  /\bwho (do|should|can|could) (i|we) (ask|talk|contact|ping|reach)\b/,
  /\bwho (owns|maintains|runs)\b/,
  /\bslack\b/,
  /\bchannels?\b/,
  /\bmailing lists?\b/,
  /\bmail\b/,
  /\bemail\b/,
  /\bforums?\b/,
  /\bdiscord\b/,
  /\bcommunity\b/,
  /\bmaintainers?\b/,
  /\btalk to\b/,
  /\breach (out|the)\b/,
  /\bbugs?\b/,
  /\bissues?\b/,
  /\breport\b/,
  /\bfile an?\b/,
  /\bask (about|a question)\b/,
  /\bget help\b/,
];

/** Asking how to use it on Azure. */
export const AZURE_PATTERNS = [
  /\bon (azure|aks)\b/,
  /\bwith (azure|aks)\b/,
  /\bin (azure|aks)\b/,
  /\b(aks|azure) docs?\b/,
];

/** Asking for everything. */
export const LIST_ALL = new Set([
  "list",
  "all",
  "everything",
  "catalog",
  "projects",
  "all projects",
  "list all",
  "list projects",
  "list all projects",
  "show all",
  "show all projects",
  "show me everything",
  "show everything",
  "the list",
  "full list",
  "every project",
]);

/** Words that carry no subject: removed before fuzzy matching and word search. */
export const STOP_WORDS = new Set(
  (
    "a an the is are was were be been am what whats which who whom whose how why when where do does did i we you me my our " +
    "your about for of to in on at by from with and or not no yes please pls thanks thank tell show give find get " +
    "any some there this that it its can could should would will shall may might use using used project projects " +
    "know info information details detail about regarding re question questions want need looking look like " +
    "upstream bot hey hi hello list lists all me us them they their one ones thing things s t kubernetes k8s"
  ).split(" "),
);

/** Words that make a question about status/alternatives/contact rather than about a subject. */
export const INTENT_WORDS = new Set(
  (
    "replace replaced replaces replacing replacement replacements alternative alternatives instead successor successors " +
    "migrate migration migrating deprecated deprecate deprecation supported support maintained archived dead retired " +
    "retire eol sunset abandoned still alive active status contact slack channel channels mailing mail email forum " +
    "forums discord community maintainer maintainers talk reach bug bugs issue issues report file ask help docs doc"
  ).split(" "),
);

export interface MaturityFilter {
  label: string;
  test(p: Project): boolean;
}

const stage = (p: Project) =>
  [p.maturity.kubernetes, ...p.maturity.other.filter((o) => o.key === "stage").map((o) => o.value)]
    .filter(Boolean)
    .map((s) => (s as string).toLowerCase());
const azureGa = (p: Project) => /^ga\b/i.test(p.maturity.azure ?? "");

/** Longest phrases first: "cncf graduated" must win over "graduated". */
export const MATURITY_FILTERS: [string, MaturityFilter][] = (
  [
    [
      [
        "ga on aks",
        "ga on azure",
        "ga in aks",
        "ga for aks",
        "azure ga",
        "aks ga",
        "generally available on aks",
        "generally available on azure",
        "ga with aks",
      ],
      { label: "GA on Azure", test: azureGa },
    ],
    [
      ["cncf graduated", "graduated"],
      { label: "CNCF graduated", test: (p) => p.maturity.cncf === "graduated" },
    ],
    [["cncf sandbox", "sandbox"], { label: "CNCF sandbox", test: (p) => p.maturity.cncf === "sandbox" }],
    [["cncf incubating"], { label: "CNCF incubating", test: (p) => p.maturity.cncf === "incubating" }],
    [
      ["incubating", "incubation"],
      {
        label: "Incubating",
        test: (p) => p.maturity.cncf === "incubating" || /incubating/i.test(p.maturity.azure ?? ""),
      },
    ],
    [["cncf archived"], { label: "CNCF archived", test: (p) => p.maturity.cncf === "archived" }],
    [["cncf"], { label: "In the CNCF", test: (p) => p.maturity.cncf !== undefined }],
    [
      ["generally available", "ga", "stable"],
      { label: "Stable / GA", test: (p) => azureGa(p) || stage(p).some((s) => s === "ga" || s === "stable") },
    ],
    [
      ["alpha"],
      {
        label: "Alpha",
        test: (p) =>
          stage(p).includes("alpha") ||
          /alpha/i.test(p.maturity.azure ?? "") ||
          p.maturity.other.some((o) => /^alpha\b/i.test(o.value)),
      },
    ],
    [["beta"], { label: "Beta", test: (p) => stage(p).includes("beta") }],
    [
      ["proposed", "proposals", "proposal"],
      { label: "Proposed", test: (p) => stage(p).includes("proposed") },
    ],
  ] as [string[], MaturityFilter][]
).flatMap(([phrases, f]) => phrases.map((ph) => [ph, f] as [string, MaturityFilter]));

export interface LifecycleFilter {
  label: string;
  test(p: Project): boolean;
}

export const LIFECYCLE_FILTERS: [string, LifecycleFilter][] = (
  [
    [
      [
        "deprecated",
        "deprecations",
        "retired",
        "end of life",
        "eol",
        "unsupported",
        "not supported",
        "dead",
        "sunset",
        "inactive",
      ],
      { label: "Deprecated or archived", test: (p) => p.lifecycle !== "active" },
    ],
    [["archived"], { label: "Archived", test: (p) => p.lifecycle === "archived" }],
    [
      ["delisted", "removed", "no longer listed", "dropped"],
      { label: "No longer on the list", test: (p) => p.listed !== true },
    ],
    [
      ["active", "current", "maintained", "alive"],
      { label: "Active", test: (p) => p.lifecycle === "active" && p.listed === true },
    ],
  ] as [string[], LifecycleFilter][]
).flatMap(([phrases, f]) => phrases.map((ph) => [ph, f] as [string, LifecycleFilter]));
