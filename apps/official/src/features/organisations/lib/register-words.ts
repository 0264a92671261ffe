import type { OrganisationKind, OrganisationStatus, OrganisationSummary } from '@townhall/protocol';

export interface RegisterFilter {
  /** Part of the legal name, or of a Companies House or charity number. */
  text: string;
  kind: OrganisationKind | 'all';
  status: OrganisationStatus | 'all';
}

const squeezed = (text: string) => text.toLowerCase().replace(/[\s-]+/g, '');

/** The organisations a search and the filters leave: the name matched by its words, numbers without spaces or case. */
export function filterOrganisations(organisations: readonly OrganisationSummary[], filter: RegisterFilter): OrganisationSummary[] {
  const text = filter.text.trim().toLowerCase();
  return organisations.filter((organisation) => {
    if (filter.kind !== 'all' && organisation.kind !== filter.kind) return false;
    if (filter.status !== 'all' && organisation.status !== filter.status) return false;
    if (text === '') return true;
    const numbers = [organisation.companyNumber, organisation.charityNumber].filter((n): n is string => n !== null);
    return organisation.legalName.toLowerCase().includes(text) || numbers.some((n) => squeezed(n).includes(squeezed(text)));
  });
}

interface StatusAction {
  label: string;
  pendingLabel: string;
  question: string;
  confirmLabel: string;
  done: string;
}

/** What each action does and how it asks first, by the status it gives the organisation. */
export const STATUS_ACTIONS: Record<OrganisationStatus, StatusAction> = {
  suspended: {
    label: 'Suspend',
    pendingLabel: 'Suspending…',
    question: 'Suspend {name}?',
    confirmLabel: 'Yes, suspend it',
    done: '{name} is suspended. Its members cannot act for it until it is reinstated.',
  },
  active: {
    label: 'Reinstate',
    pendingLabel: 'Reinstating…',
    question: 'Reinstate {name}?',
    confirmLabel: 'Yes, reinstate it',
    done: '{name} is reinstated. Its members can act for it again.',
  },
  closed: {
    label: 'Close',
    pendingLabel: 'Closing…',
    question: 'Close {name}?',
    confirmLabel: 'Yes, close it for good',
    done: '{name} is closed. This is final.',
  },
};

/** The statuses an organisation can be given from its own: closing is final. */
export function statusActionsFor(status: OrganisationStatus): OrganisationStatus[] {
  if (status === 'active') return ['suspended', 'closed'];
  if (status === 'suspended') return ['active', 'closed'];
  return [];
}

/** The organisation's public page in the residents' app (served at the site's root). */
export const publicPageHref = (organisationId: string) => `/organisations/${encodeURIComponent(organisationId)}`;
