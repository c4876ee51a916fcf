// The curation overlay (data/curation.json): aliases, topics, lifecycle corrections,
// successors, notes and link corrections layered over the upstream list. Every fact
// carries a source URL; the schema makes a fact without one a validation error.
import { z } from "zod";
import { Channel, HttpUrl, Lifecycle, Note, Slug } from "../core/catalog-schema.js";

const Sourced = { source: HttpUrl };

const CuratedSuccessor = z
  .object({
    name: z.string().min(1),
    url: HttpUrl,
    id: Slug.optional(),
    wording: z.string().min(1),
    ...Sourced,
  })
  .strict();

const ProjectCuration = z
  .object({
    aliases: z.array(z.object({ names: z.array(z.string().min(1)).min(1), ...Sourced }).strict()).default([]),
    topics: z.array(Slug).default([]),
    lifecycle: z
      .object({ value: Lifecycle, wording: z.string().min(1), ...Sourced })
      .strict()
      .optional(),
    successors: z.array(CuratedSuccessor).default([]),
    noSuccessor: z
      .object({ wording: z.string().min(1), ...Sourced })
      .strict()
      .optional(),
    notes: z.array(Note.strict()).default([]),
    goal: z
      .object({ text: z.string().min(1), ...Sourced })
      .strict()
      .optional(),
    channels: z
      .array(
        z
          .object({
            /** The channel's label in the list, e.g. "#runwasi". */
            match: z.string().min(1),
            url: HttpUrl.optional(),
            workspace: z.string().optional(),
            kind: Channel.shape.kind.optional(),
            ...Sourced,
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type ProjectCuration = z.infer<typeof ProjectCuration>;

export const Curation = z
  .object({
    $comment: z.string().optional(),
    /** Moved or redirected links: `from` matches a whole URL or a URL prefix ending at `/`, `#` or `?`. */
    linkRewrites: z.array(z.object({ from: HttpUrl, to: HttpUrl, ...Sourced }).strict()).default([]),
    areas: z.record(Slug, z.array(z.string().min(1))).default({}),
    topics: z
      .array(
        z
          .object({ id: Slug, label: z.string().min(1), keywords: z.array(z.string().min(1)).min(1) })
          .strict(),
      )
      .default([]),
    ambiguous: z
      .array(
        z
          .object({ alias: z.string().min(1), ids: z.array(Slug).min(2), source: HttpUrl.optional() })
          .strict(),
      )
      .default([]),
    projects: z.record(Slug, ProjectCuration).default({}),
  })
  .strict();
export type Curation = z.infer<typeof Curation>;

/** How many sourced facts the overlay adds; reported by `catalog:check`. */
export function countCuratedFacts(c: Curation): number {
  let n = c.linkRewrites.length;
  for (const p of Object.values(c.projects)) {
    n += p.aliases.length + p.successors.length + p.notes.length + p.channels.length;
    n += (p.lifecycle ? 1 : 0) + (p.noSuccessor ? 1 : 0) + (p.goal ? 1 : 0);
  }
  return n;
}
