/** The witness's own Ed25519 cosigning key (C2SP tlog-cosignature, type 0x04), kept in its state directory. */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { SIGNATURE_TYPE_COSIGNATURE_V1, formatVerifierKey, generateKeyPair, parseSignerKey, type NoteSigner } from '@townhall/ledger';

export const KEY_FILE = 'witness.key';

/** Loads the key from `<state>/witness.key`, creating it (named `name`) on first use. */
export async function loadOrCreateWitnessKey(stateDir: string, name: string): Promise<{ signer: NoteSigner; verifierKey: string }> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, KEY_FILE);
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const { signerKey } = generateKeyPair(name, SIGNATURE_TYPE_COSIGNATURE_V1);
    try {
      // 'wx': a concurrent first start keeps whichever key was written first.
      await writeFile(file, `${signerKey}\n`, { mode: 0o600, flag: 'wx' });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
    }
    text = (await readFile(file, 'utf8')).trim();
  }
  const signer = parseSignerKey(text);
  if (signer.type !== SIGNATURE_TYPE_COSIGNATURE_V1) throw new Error(`${file} is not a cosignature/v1 (type 0x04) key`);
  return { signer, verifierKey: formatVerifierKey(signer) };
}
