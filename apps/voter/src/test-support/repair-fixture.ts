import type { Repair } from '@townhall/protocol';

/** A repair as the API answers it, just reported (state `raised`, nothing triaged yet), with `changes` applied. */
export const reportedRepair = (changes: Partial<Repair> & Pick<Repair, 'orderId' | 'contractId' | 'associationId'>): Repair => ({
  state: 'raised',
  description: 'The kitchen tap drips all night',
  location: 'Kitchen',
  address: '1 Keep Lane, DB1 1AA',
  reportedPriority: 'routine',
  hazards: { dampOrMould: false, immediateRisk: false },
  itemCode: null,
  quantity: null,
  priority: null,
  hazard: null,
  dueAt: null,
  appointment: null,
  completionNotes: null,
  rejection: null,
  payment: null,
  log: `contract-${changes.contractId}`,
  history: [{ type: 'order-raised', at: '2026-12-01T10:00:00.000Z', ledgerIndex: '2' }],
  ...changes,
});
