import { TextInput } from '@townhall/web-ui';
import { useState } from 'react';

/** A link to pass on in a private message: selectable in a box, with a copy button. */
export function CopyableLink({ id, label, url }: { id: string; label: string; url: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // Without clipboard access the link stays selectable in the box.
      setCopied(false);
    }
  }
  return (
    <div>
      <TextInput id={id} label={label} value={url} readOnly spellCheck={false} />
      <button type="button" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" onClick={() => void copy()}>
        Copy link<span className="govuk-visually-hidden"> for {label}</span>
      </button>
      <p className="govuk-body-s" role="status">
        {copied ? 'The link is copied.' : ''}
      </p>
    </div>
  );
}
