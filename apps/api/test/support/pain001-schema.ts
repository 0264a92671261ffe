import { readFileSync } from 'node:fs';
import { create } from 'xmlbuilder2';
import { validateXML } from 'xmllint-wasm';

/** The ISO 20022 message schema of pain.001.001.09, from the ISO 20022 message catalogue (test/vectors/iso20022/README.md). */
const schema = readFileSync(new URL('../vectors/iso20022/pain.001.001.09.xsd', import.meta.url), 'utf8');

/** Validates a document against the pain.001.001.09 schema with libxml2 (WebAssembly): valid, or libxml2's messages. */
export async function validatePain001(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({ xml: [{ fileName: 'pain001.xml', contents: xml }], schema: [schema] });
  return { valid: result.valid, errors: result.errors.map((e) => e.message) };
}

type Searchable = { getElementsByTagNameNS(namespace: string, name: string): ArrayLike<{ textContent: string | null }> };

/** The text of every element with this name in a pain.001.001.09 document, in document order. */
export function pain001Texts(xml: string, name: string): string[] {
  const document = create(xml).node as unknown as Searchable;
  return Array.from(document.getElementsByTagNameNS('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09', name)).map((e) => e.textContent ?? '');
}
