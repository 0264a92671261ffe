import { TextInput } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { parseContractReference } from '../api/contract-record.ts';

/** A contract's record fetched from the server by its reference: the contracts' counterpart of the list of elections. */
export function ContractReferenceForm({ id, error, isStarting, onError, onVerify }: { id: string; error: string | undefined; isStarting: boolean; onError: (message: string) => void; onVerify: (contractId: string) => void }) {
  const [reference, setReference] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseContractReference(reference);
    if ('error' in parsed) onError(parsed.error);
    else onVerify(parsed.contractId);
  }
  return (
    <form noValidate onSubmit={submit}>
      <TextInput
        id={id}
        label="Contract reference"
        hint="The part after /contracts/ in the address of the contract’s page or of its record, for example keep-repairs."
        width="20"
        isCode
        spellCheck={false}
        autoComplete="off"
        value={reference}
        error={error}
        onChange={(event) => setReference(event.target.value)}
      />
      <button type="submit" className="govuk-button govuk-button--secondary" disabled={isStarting}>
        Verify the contract
      </button>
    </form>
  );
}
