import type { ContractEventType, OrderState, Priority } from '@townhall/protocol';

/** A repair's state as its tenant reads it (docs/protocol/contracts.md §3.1). */
export const STATE_WORDS: Record<OrderState, { tag: string; colour: string; meaning: string }> = {
  raised: { tag: 'Reported', colour: 'blue', meaning: 'Your housing association has your report and will decide how urgent it is.' },
  triaged: { tag: 'Sent to the contractor', colour: 'light-blue', meaning: 'Your housing association has sent the job to its contractor, with a date it must be done by.' },
  accepted: { tag: 'Accepted', colour: 'light-blue', meaning: 'The contractor has taken the job and will contact you to arrange a visit.' },
  scheduled: { tag: 'Visit booked', colour: 'turquoise', meaning: 'The contractor has booked a visit.' },
  completed: { tag: 'Work done', colour: 'purple', meaning: 'The contractor says the work is done; your housing association will check it.' },
  rejected: { tag: 'Being redone', colour: 'orange', meaning: 'Your housing association found the work was not right; the contractor must do it again.' },
  confirmed: { tag: 'Finished', colour: 'green', meaning: 'Your housing association has confirmed the work is done.' },
};

/** How urgent a repair is, in plain words, with the time the contract gives for each (docs/protocol/contracts.md §5.4). */
export const PRIORITY_WORDS: Record<Priority, { label: string; hint: string }> = {
  emergency: {
    label: 'Emergency',
    hint: 'Someone could be hurt or the home damaged if it is not made safe within a day: a flood, no heating or hot water in cold weather, exposed wires, a door that will not lock.',
  },
  urgent: {
    label: 'Urgent',
    hint: 'It makes living in your home much harder but nobody is in danger: a toilet that will not flush, a broken window you can cover.',
  },
  routine: {
    label: 'Routine',
    hint: 'It can wait a few weeks: a dripping tap, a loose handle, a cupboard door.',
  },
};

/** Each step of a repair's history, as its tenant reads it. */
export const STEP_WORDS: Record<Exclude<ContractEventType, 'terms-amended'>, string> = {
  'order-raised': 'You reported the repair',
  'order-triaged': 'Your housing association sent it to the contractor',
  'hazard-investigated': 'Your housing association investigated the damp or mould',
  'hazard-summary-issued': 'Your housing association sent you a written summary of what it found',
  'order-accepted': 'The contractor accepted the job',
  'order-scheduled': 'The contractor booked a visit',
  'order-completed': 'The contractor said the work is done',
  'order-rejected': 'Your housing association asked the contractor to do the work again',
  'order-confirmed': 'Your housing association confirmed the work is done',
};

export const stepWords = (type: string) => STEP_WORDS[type as keyof typeof STEP_WORDS] ?? type;

