import type { ElectionStatus } from '@townhall/protocol';

export const STATUS_LABELS: Record<ElectionStatus, { text: string; colour: string }> = {
  draft: { text: 'Draft', colour: 'grey' },
  'key-ceremony': { text: 'Key ceremony', colour: 'blue' },
  halted: { text: 'Halted', colour: 'red' },
  ready: { text: 'Ready to open', colour: 'turquoise' },
  open: { text: 'Open', colour: 'green' },
  closed: { text: 'Closed', colour: 'orange' },
  tallied: { text: 'Decrypting', colour: 'purple' },
  published: { text: 'Result published', colour: 'green' },
};

export function StatusTag({ status }: { status: ElectionStatus }) {
  const label = STATUS_LABELS[status];
  return <strong className={`govuk-tag govuk-tag--${label.colour}`}>{label.text}</strong>;
}
