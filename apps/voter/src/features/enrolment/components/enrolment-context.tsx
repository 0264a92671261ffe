import { type DateParts } from '@townhall/web-ui';
import { createContext, useContext, useState, type Dispatch, type ReactNode, type SetStateAction } from 'react';
import type { RegistrationOptions } from '../api/enrolment.ts';
import type { Attribute, AttributeChoice } from '../lib/validate-claim.ts';

/** What the resident has answered so far; kept in memory only (the code is a secret). */
export interface EnrolmentAnswers {
  codeInput: string;
  activationCode: string | null;
  choice: AttributeChoice | null;
  postcode: string;
  dateOfBirth: DateParts;
  attribute: Attribute | null;
  options: RegistrationOptions | null;
}

export const emptyAnswers: EnrolmentAnswers = {
  codeInput: '',
  activationCode: null,
  choice: null,
  postcode: '',
  dateOfBirth: { day: '', month: '', year: '' },
  attribute: null,
  options: null,
};

type EnrolmentState = [EnrolmentAnswers, Dispatch<SetStateAction<EnrolmentAnswers>>];

const EnrolmentContext = createContext<EnrolmentState | null>(null);

export function EnrolmentProvider({ children, initial = emptyAnswers }: { children: ReactNode; initial?: EnrolmentAnswers }) {
  const state = useState<EnrolmentAnswers>(initial);
  return <EnrolmentContext.Provider value={state}>{children}</EnrolmentContext.Provider>;
}

export function useEnrolment(): EnrolmentState {
  const state = useContext(EnrolmentContext);
  if (!state) throw new Error('useEnrolment needs an EnrolmentProvider');
  return state;
}
