/**
 * zod schemas for the election manifest (the part the ballot needs) and the ballot wire format
 * (docs/protocol/crypto.md §5). They live here until packages/protocol takes them over.
 *
 * Identifiers are restricted to [A-Za-z0-9_-] so that the proof contexts built from them
 * (`ballot/<contest>/<option>`) are unambiguous.
 */
import { z } from 'zod';
import { CIPHERTEXT_LENGTH } from '../elgamal/elgamal.ts';
import { DISJUNCTIVE_BRANCH_LENGTH, MAX_DISJUNCTIVE_BRANCHES } from '../proofs/disjunctive.ts';
import { SCALAR_LENGTH } from '../group.ts';

export const MAX_CONTESTS = 100;
export const MAX_OPTIONS = 64;
export const BALLOT_VERSION = 1;

export const IdentifierSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'identifier: 1–64 of A-Z a-z 0-9 _ -');

const hexOfLength = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${2 * bytes}}$`), `expected ${bytes} bytes of lowercase hex`);
const hexOfBranches = z
  .string()
  .regex(/^[0-9a-f]*$/, 'expected lowercase hex')
  .refine((s) => s.length > 0 && s.length % (2 * DISJUNCTIVE_BRANCH_LENGTH) === 0 && s.length / (2 * DISJUNCTIVE_BRANCH_LENGTH) <= MAX_DISJUNCTIVE_BRANCHES, {
    message: `expected 1 to ${MAX_DISJUNCTIVE_BRANCHES} proof branches of ${DISJUNCTIVE_BRANCH_LENGTH} bytes`,
  });

export const ContestOptionSchema = z.object({
  id: IdentifierSchema,
  label: z.string().min(1).max(200),
});

export const ContestSchema = z
  .object({
    id: IdentifierSchema,
    title: z.string().min(1).max(200),
    options: z.array(ContestOptionSchema).min(1).max(MAX_OPTIONS),
    minSelections: z.number().int().min(0),
    maxSelections: z.number().int().min(1),
  })
  .superRefine((contest, ctx) => {
    if (contest.minSelections > contest.maxSelections) {
      ctx.addIssue({ code: 'custom', path: ['minSelections'], message: 'minSelections exceeds maxSelections' });
    }
    if (contest.maxSelections > contest.options.length) {
      ctx.addIssue({ code: 'custom', path: ['maxSelections'], message: 'maxSelections exceeds the number of options' });
    }
    const ids = new Set(contest.options.map((o) => o.id));
    if (ids.size !== contest.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'option ids must be unique' });
  });

export const BallotManifestSchema = z
  .object({
    contests: z.array(ContestSchema).min(1).max(MAX_CONTESTS),
  })
  .superRefine((manifest, ctx) => {
    const ids = new Set(manifest.contests.map((c) => c.id));
    if (ids.size !== manifest.contests.length) ctx.addIssue({ code: 'custom', path: ['contests'], message: 'contest ids must be unique' });
  });

export type ContestOption = z.infer<typeof ContestOptionSchema>;
export type Contest = z.infer<typeof ContestSchema>;
export type BallotManifest = z.infer<typeof BallotManifestSchema>;

/** contest id → the option ids the voter selected. A missing contest means no selection. */
export const ChoicesSchema = z.record(IdentifierSchema, z.array(IdentifierSchema));
export type Choices = Record<string, readonly string[]>;

export const SelectionWireSchema = z.object({
  optionId: IdentifierSchema,
  /** α ‖ β, 64 bytes. */
  ciphertext: hexOfLength(CIPHERTEXT_LENGTH),
  /** Disjunctive proof for {0, 1}: 2 branches of 128 bytes. */
  proof: hexOfBranches,
});

export const ContestWireSchema = z.object({
  contestId: IdentifierSchema,
  selections: z.array(SelectionWireSchema).min(1).max(MAX_OPTIONS),
  /** Disjunctive proof for {min, …, max} on the contest's aggregate ciphertext. */
  rangeProof: hexOfBranches,
});

export const BallotWireSchema = z.object({
  version: z.literal(BALLOT_VERSION),
  contests: z.array(ContestWireSchema).min(1).max(MAX_CONTESTS),
});
export type BallotWire = z.infer<typeof BallotWireSchema>;

export const AuditSecretsWireSchema = z.object({
  version: z.literal(BALLOT_VERSION),
  contests: z
    .array(
      z.object({
        contestId: IdentifierSchema,
        selections: z
          .array(z.object({ optionId: IdentifierSchema, value: z.number().int().min(0).max(1), randomness: hexOfLength(SCALAR_LENGTH) }))
          .min(1)
          .max(MAX_OPTIONS),
      }),
    )
    .min(1)
    .max(MAX_CONTESTS),
});
export type AuditSecretsWire = z.infer<typeof AuditSecretsWireSchema>;
