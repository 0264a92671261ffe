/** The registry log's receipt for one entry (a C2SP tlog-proof, checkable offline), under the API's base path. */
export function registryReceiptHref(apiBasePath: string, ledgerIndex: string): string {
  return `${apiBasePath}/ledger/registry/receipt/${encodeURIComponent(ledgerIndex)}`;
}

interface ReceiptLinkProps {
  apiBasePath: string;
  ledgerIndex: string;
  /** Visually hidden words saying which record it is, when a page has several receipts. */
  context?: string;
}

/** "Receipt for entry 42": downloads the registry log's receipt for the entry. */
export function ReceiptLink({ apiBasePath, ledgerIndex, context }: ReceiptLinkProps) {
  return (
    <a
      className="govuk-link"
      href={registryReceiptHref(apiBasePath, ledgerIndex)}
      download={`townhall-registry-receipt-${ledgerIndex}.txt`}
    >
      Receipt for entry {ledgerIndex}
      {context ? <span className="govuk-visually-hidden"> ({context})</span> : null}
    </a>
  );
}
