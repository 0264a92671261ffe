import { APPOINTMENT_PURPOSES, type AppointmentPurpose } from '@townhall/protocol';
import { choiceId, Choices } from './choices.tsx';
import { DateInput, type DateParts } from './form-fields.tsx';

/** Every purpose an appointment can name, in the order the forms offer them. */
export const APPOINTMENT_PURPOSE_LIST = Object.keys(APPOINTMENT_PURPOSES) as AppointmentPurpose[];

/** The field ids of an appointment's scope, the same on every form that asks for one. */
export const APPOINTMENT_SCOPE_FIELD_IDS = { purposes: 'purposes', endsOn: 'ends-on' } as const;

/** Where the error summary's link for a scope field goes: its first checkbox, or the day box. */
export function appointmentScopeSummaryTarget(fieldId: string): string {
  if (fieldId === APPOINTMENT_SCOPE_FIELD_IDS.purposes) return choiceId(APPOINTMENT_SCOPE_FIELD_IDS.purposes, APPOINTMENT_PURPOSE_LIST[0]!);
  if (fieldId === APPOINTMENT_SCOPE_FIELD_IDS.endsOn) return `${APPOINTMENT_SCOPE_FIELD_IDS.endsOn}-day`;
  return fieldId;
}

export interface AppointmentScope {
  purposes: AppointmentPurpose[];
  endsOn: DateParts;
}

interface AppointmentScopeFieldsProps {
  value: AppointmentScope;
  onChange: (patch: Partial<AppointmentScope>) => void;
  /** The message shown at a field, if any (by field id). */
  errorFor: (fieldId: string) => string | undefined;
  purposesLegend: string;
  purposesHint: string;
  endsOnHint: string;
}

/**
 * What an appointment lets someone do and until when: the resident's own appointment of a
 * representative and staff's record of a lasting power of attorney ask the same two questions.
 */
export function AppointmentScopeFields({ value, onChange, errorFor, purposesLegend, purposesHint, endsOnHint }: AppointmentScopeFieldsProps) {
  const ids = APPOINTMENT_SCOPE_FIELD_IDS;
  return (
    <>
      <Choices<AppointmentPurpose>
        kind="checkbox"
        id={ids.purposes}
        legend={purposesLegend}
        hint={purposesHint}
        error={errorFor(ids.purposes)}
        choices={APPOINTMENT_PURPOSE_LIST.map((purpose) => ({ value: purpose, id: choiceId(ids.purposes, purpose), label: APPOINTMENT_PURPOSES[purpose] }))}
        isChecked={(purpose) => value.purposes.includes(purpose)}
        onToggle={(purpose, checked) => onChange({ purposes: checked ? [...value.purposes, purpose] : value.purposes.filter((p) => p !== purpose) })}
      />
      <DateInput id={ids.endsOn} legend="Until when?" hint={endsOnHint} error={errorFor(ids.endsOn)} value={value.endsOn} onChange={(endsOn) => onChange({ endsOn })} />
    </>
  );
}
