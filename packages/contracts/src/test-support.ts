import type { ContractEventInput, ContractTermsInput } from '@townhall/protocol';
import { exampleTerms } from './examples.ts';

/** Test support only (never imported by the package's code): build terms and order histories tersely. */

export interface JobPlan {
  association?: string;
  raised: string;
  triaged?: string;
  item?: string;
  quantity?: number;
  priority?: 'emergency' | 'urgent' | 'routine';
  hazard?: 'none' | 'emergency' | 'significant';
  investigated?: string;
  summary?: string;
  completed?: string;
  confirmed?: string;
}

let propertySeed = 0;
export function jobEvents(orderId: string, plan: JobPlan): ContractEventInput[] {
  propertySeed += 1;
  const events: ContractEventInput[] = [
    {
      type: 'order-raised',
      at: plan.raised,
      orderId,
      association: plan.association ?? 'ha-north',
      propertyRef: propertySeed.toString(16).padStart(64, '0'),
    },
  ];
  if (!plan.triaged) return events;
  events.push(
    {
      type: 'order-triaged',
      at: plan.triaged,
      orderId,
      itemCode: plan.item ?? 'TAP-01',
      quantity: plan.quantity ?? 1,
      priority: plan.priority ?? 'routine',
      hazard: plan.hazard ?? 'none',
    },
    { type: 'order-accepted', at: plan.triaged, orderId },
  );
  if (plan.investigated) events.push({ type: 'hazard-investigated', at: plan.investigated, orderId });
  if (plan.summary) events.push({ type: 'hazard-summary-issued', at: plan.summary, orderId });
  if (plan.completed) events.push({ type: 'order-completed', at: plan.completed, orderId });
  if (plan.confirmed) events.push({ type: 'order-confirmed', at: plan.confirmed, orderId });
  return events;
}

/** The example terms with some clauses replaced. */
export function termsWith(changes: Partial<ContractTermsInput>): ContractTermsInput {
  return { ...exampleTerms(), ...changes };
}

/** Add `days` days to an ISO instant. */
export function plusDays(instant: string, days: number): string {
  return new Date(Date.parse(instant) + days * 86_400_000).toISOString();
}
