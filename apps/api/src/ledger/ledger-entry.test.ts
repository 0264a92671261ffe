import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENTRY_TYPE_REGISTRY } from '@townhall/protocol';
import { ENTRY_TYPES, decodeEntry, encodeEntry, GENESIS_PREVIOUS_HASH } from '@townhall/ledger';
import { EntryBodyRejected, ledgerEntry } from './ledger-entry.ts';

const pseudonym = 'ab'.repeat(32);

describe('ledgerEntry: every entry the server appends is built from the one table of entry types', () => {
  it('accepts a body its type’s schema accepts, and appends it exactly as given', () => {
    const body = { pseudonym, credentialIdHash: 'cd'.repeat(32), reason: 'card-reissued' } as const;
    const entry = ledgerEntry('PasskeyRevoked', body);
    expect(entry).toEqual({ type: 'PasskeyRevoked', body });
    const bytes = encodeEntry({ ...entry, previousHash: GENESIS_PREVIOUS_HASH });
    expect(decodeEntry(bytes)).toMatchObject({ type: 'PasskeyRevoked', body });
  });

  it('refuses a body that does not match, naming the field, before anything is written', () => {
    const wrong = () => ledgerEntry('PasskeyRevoked', { pseudonym, credentialIdHash: 'not hex', reason: 'card-reissued' });
    expect(wrong).toThrow(EntryBodyRejected);
    expect(wrong).toThrow(/PasskeyRevoked entry body does not match its schema: credentialIdHash/);
    // An extra field (personal data slipping into an entry, say) is refused too: bodies are strict.
    const extra = { pseudonym, credentialIdHash: 'cd'.repeat(32), reason: 'card-reissued', name: 'Amira Patel' };
    expect(() => ledgerEntry('PasskeyRevoked', extra as never)).toThrow(/name/);
    // The wrong body for another type: the compiler refuses it (this line would not type-check without the cast).
    expect(() => ledgerEntry('ClaimsReleased', { pseudonym } as never)).toThrow(EntryBodyRejected);
  });

  it('the ledger’s code table is the registry’s', () => {
    expect(Object.keys(ENTRY_TYPES)).toEqual(Object.keys(ENTRY_TYPE_REGISTRY));
    for (const [name, spec] of Object.entries(ENTRY_TYPE_REGISTRY)) {
      expect(ENTRY_TYPES[name as keyof typeof ENTRY_TYPES]).toEqual({ code: spec.code, versions: spec.versions, log: spec.log });
    }
    const codes = Object.values(ENTRY_TYPE_REGISTRY).map((t) => t.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const spec of Object.values(ENTRY_TYPE_REGISTRY)) {
      const logByRange: Record<number, string> = { 0x00: 'any', 0x01: 'registry', 0x02: 'election', 0x03: 'contract' };
      expect(spec.log).toBe(logByRange[spec.code >> 8]);
    }
  });

  it('no feature builds an entry by hand: every entry literal in the server goes through ledgerEntry', () => {
    const src = new URL('..', import.meta.url).pathname;
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== 'generated') walk(path);
        } else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) files.push(path);
      }
    };
    walk(src);
    const names = Object.keys(ENTRY_TYPE_REGISTRY).join('|');
    const literal = new RegExp(`type: '(${names})'(?: as const)?,\\s*body`);
    const byHand = files.filter((file) => literal.test(readFileSync(file, 'utf8'))).map((file) => relative(src, file));
    expect(byHand).toEqual([]);
  });
});
