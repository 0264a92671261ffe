import { useMutation } from '@tanstack/react-query';
import { AppointmentSummary, type PowerOfAttorneyRecord } from '@townhall/protocol';
import { apiSend } from '@townhall/web-ui';

/** Records a lasting power of attorney (an AppointmentMade entry); the attorney accepts it in their account. */
export function useRecordPowerOfAttorney() {
  return useMutation({
    mutationFn: (record: PowerOfAttorneyRecord) => apiSend('POST', '/official/appointments', record, AppointmentSummary),
  });
}
