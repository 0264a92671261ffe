/** The registry log's receipt for one entry (a C2SP tlog-proof, checkable offline), under the API's base path. */
export function registryReceiptHref(apiBasePath: string, ledgerIndex: string): string {
  return receiptHref(apiBasePath, 'registry', ledgerIndex);
}

/** A log's receipt for one entry: the registry's, an election's or a contract's log (`contract-<id>`). */
export function receiptHref(apiBasePath: string, log: string, ledgerIndex: string): string {
  return `${apiBasePath}/ledger/${encodeURIComponent(log)}/receipt/${encodeURIComponent(ledgerIndex)}`;
}

interface ReceiptLinkProps {
  apiBasePath: string;
  ledgerIndex: string;
  /** The log the entry is in; the registry's by default. */
  log?: string;
  /** Visually hidden words saying which record it is, when a page has several receipts. */
  context?: string;
}

/** "Receipt for entry 42": downloads the log's receipt for the entry (the registry log's by default). */
export function ReceiptLink({ apiBasePath, ledgerIndex, log = 'registry', context }: ReceiptLinkProps) {
  return (
    <a className="govuk-link" href={receiptHref(apiBasePath, log, ledgerIndex)} download={`townhall-${log}-receipt-${ledgerIndex}.txt`}>
      Receipt for entry {ledgerIndex}
      {context ? <span className="govuk-visually-hidden"> ({context})</span> : null}
    </a>
  );
}
