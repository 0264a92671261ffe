import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppointmentRequest,
  PowerOfAttorneyRecord,
  type AppointmentCode,
  type AppointmentPurpose,
  type AppointmentState,
  type AppointmentSummary,
} from '@townhall/protocol';
import type { z } from 'zod';
import { AppError } from '../common/app-error.ts';
import { Listeners } from '../common/listeners.ts';
import type { Principal } from '../common/access.ts';
import { LedgerService, REGISTRY_LOG, type TransactionClient } from '../ledger/ledger.module.ts';
import { OrganisationKeys, randomCode } from './organisation-keys.ts';
import { nowIso, organisationEntries } from './organisations-ledger.ts';
import { AppointmentsRepository } from './appointments.repository.ts';

export const APPOINTMENT_CODE_TTL_MS = 3600_000;
const LONGEST_APPOINTMENT_YEARS = 10;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Today's date in UTC, YYYY-MM-DD: an appointment may be used up to and including its `endsOn`. */
const today = () => new Date().toISOString().slice(0, 10);
const dateOf = (value: Date) => value.toISOString().slice(0, 10);

const noAppointment = () => new AppError('NOT_FOUND', 'There is no such appointment of yours.');

type NewAppointment = Omit<Parameters<AppointmentsRepository['insertAppointment']>[1], 'madeIndex'>;
type Row = Awaited<ReturnType<AppointmentsRepository['appointmentsOf']>>[number];
type Stored = { acceptedAt: Date | null; endedAt: Date | null; endsOn: Date };

function stateOf(appointment: Stored): AppointmentState {
  if (appointment.endedAt) return 'ended';
  if (dateOf(appointment.endsOn) < today()) return 'expired';
  return appointment.acceptedAt ? 'active' : 'waiting-for-acceptance';
}

/** What `resolveActingFor` gives another slice: the appointment it acts under. */
export interface ActingAppointment {
  appointmentId: string;
  appointerId: string;
  representativeId: string;
  purposes: AppointmentPurpose[];
  endsOn: string;
  basis: 'resident' | 'lasting-power-of-attorney';
}

/** An appointment that has just ended: which, and whose (the resident who made it). */
export interface EndedAppointment {
  id: string;
  appointerId: string;
}

/**
 * Appointments (docs/organisations.md §3): a resident appoints another, identified by a one-time code
 * the representative made in their own account, for named purposes until an end date; it takes effect
 * when the representative accepts; either side ends it. Staff record one from a lasting power of
 * attorney. `resolveActingFor` is the one check other slices make before someone acts for another.
 */
@Injectable()
export class AppointmentsService {
  /**
   * Hear of each appointment this instance ends, once the ending has committed (Townhall ID then signs
   * the representative out of the services they signed in to for the resident).
   */
  readonly ended = new Listeners<EndedAppointment>();

  constructor(
    @Inject(AppointmentsRepository) private readonly repository: AppointmentsRepository,
    @Inject(OrganisationKeys) private readonly keys: OrganisationKeys,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  /**
   * May `principal` act for the resident `forResidentId` (an elector id) for `purpose`? Only under an
   * appointment made by that resident to this one, accepted, not ended, not past its end date, naming
   * the purpose. Appointments are never passed on: a chain (A→B, B→C) gives C nothing for A. Each
   * successful call records who acted, for whom, under which appointment, and `action`.
   */
  async resolveActingFor(
    principal: Principal,
    forResidentId: string,
    purpose: AppointmentPurpose,
    action: string,
  ): Promise<ActingAppointment> {
    const notAppointed = () => new AppError('NOT_APPOINTED', 'You have no appointment from this person to act for them.');
    if (principal.kind !== 'resident') throw notAppointed();
    if (principal.electorId === forResidentId)
      throw new AppError('SELF_APPOINTMENT', 'This is your own account: act as yourself, not as your own representative.');
    const appointments = UUID.test(forResidentId) ? await this.repository.between(forResidentId, principal.electorId) : [];
    const states = appointments.map((a) => ({ appointment: a, state: stateOf(a) }));
    const usable = states.find((s) => s.state === 'active' && s.appointment.purposes.includes(purpose));
    if (!usable) {
      if (states.some((s) => s.state === 'active')) {
        throw new AppError(
          'PURPOSE_NOT_APPOINTED',
          `Your appointment from this person does not cover this (${purpose}). Ask them to appoint you for it.`,
        );
      }
      if (states.some((s) => s.state === 'waiting-for-acceptance')) {
        throw new AppError('APPOINTMENT_NOT_ACCEPTED', 'Accept the appointment in your account before you act for this person.');
      }
      if (states.length > 0)
        throw new AppError('APPOINTMENT_ENDED', 'Your appointment from this person has ended, so you can no longer act for them.');
      throw notAppointed();
    }
    const a = usable.appointment;
    await this.repository.recordUse({
      id: randomUUID(),
      appointmentId: a.id,
      actorId: principal.electorId,
      forId: forResidentId,
      purpose,
      action,
    });
    return {
      appointmentId: a.id,
      appointerId: a.appointerId,
      representativeId: a.representativeId,
      purposes: a.purposes as AppointmentPurpose[],
      endsOn: dateOf(a.endsOn),
      basis: a.basis as ActingAppointment['basis'],
    };
  }

  /** The representative's side of the handshake: a one-time code to give the person who will appoint them. */
  async appointmentCode(principal: Principal): Promise<AppointmentCode> {
    const electorId = this.#residentId(principal);
    const code = randomCode(12);
    const expiresAt = new Date(Date.now() + APPOINTMENT_CODE_TTL_MS);
    await this.repository.replaceAppointmentCode(electorId, this.keys.codeHash('appointment', code), expiresAt);
    return { code: code.match(/.{4}/g)!.join('-'), expiresAt: expiresAt.toISOString() };
  }

  /** The appointer makes the appointment with their representative's code; the signed-in resident is always the appointer. */
  async appoint(principal: Principal, input: z.output<typeof AppointmentRequest>): Promise<AppointmentSummary> {
    const appointerId = this.#residentId(principal);
    const endsOn = this.#endDate(input.endsOn);
    const id = randomUUID();
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const representativeId = await this.repository.consumeAppointmentCode(
        tx,
        this.keys.codeHash('appointment', input.representativeCode),
        new Date(),
      );
      if (!representativeId) {
        throw new AppError(
          'APPOINTMENT_CODE_INVALID',
          'This appointment code is not valid: it may have been used or have expired. Ask your representative for a new one.',
        );
      }
      if (representativeId === appointerId)
        throw new AppError('SELF_APPOINTMENT', 'That code is your own: you cannot appoint yourself. Ask your representative for theirs.');
      return this.#make(tx, nextIndex, {
        id,
        appointerId,
        representativeId,
        purposes: input.purposes,
        endsOn,
        basis: 'resident',
        documentReference: null,
        recordedByStaffId: null,
      });
    });
    return this.#summary(result, appointerId);
  }

  /** Staff record a lasting power of attorney: donor → attorney; in effect once the attorney accepts in their account. */
  async recordPowerOfAttorney(staffId: string, input: z.output<typeof PowerOfAttorneyRecord>): Promise<AppointmentSummary> {
    const donor = await this.repository.findElectorByNumber(input.donorElectorNumber);
    const attorney = await this.repository.findElectorByNumber(input.attorneyElectorNumber);
    if (!donor || !attorney) throw new AppError('NOT_FOUND', 'There is no elector with that number on the roll.');
    if (donor.id === attorney.id) throw new AppError('SELF_APPOINTMENT', 'The donor and the attorney must be different people.');
    const endsOn = this.#endDate(input.endsOn);
    const id = randomUUID();
    const { result } = await this.ledger.append(REGISTRY_LOG, (tx, { nextIndex }) =>
      this.#make(tx, nextIndex, {
        id,
        appointerId: donor.id,
        representativeId: attorney.id,
        purposes: input.purposes,
        endsOn,
        basis: 'lasting-power-of-attorney',
        documentReference: input.documentReference,
        recordedByStaffId: staffId,
      }),
    );
    return this.#summary(result, null);
  }

  async #make(tx: TransactionClient, index: bigint, appointment: NewAppointment) {
    const open = await this.repository.openBetween(tx, appointment.appointerId, appointment.representativeId);
    if (open.some((a) => stateOf(a) !== 'expired')) {
      throw new AppError('CONFLICT', 'There is an appointment between these two people already: end it first to make a new one.');
    }
    const row = await this.repository.insertAppointment(tx, { ...appointment, madeIndex: index });
    const entry = organisationEntries.appointmentMade({
      appointmentId: row.id,
      appointer: this.keys.appointmentParty(row.id, 'appointer', row.appointerId),
      representative: this.keys.appointmentParty(row.id, 'representative', row.representativeId),
      purposes: row.purposes as AppointmentPurpose[],
      endsOn: dateOf(row.endsOn),
      basis: row.basis as 'resident',
      at: nowIso(),
    });
    return { entries: [entry], result: row };
  }

  async accept(principal: Principal, appointmentId: string): Promise<AppointmentSummary> {
    const electorId = this.#residentId(principal);
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const appointment = UUID.test(appointmentId) ? await this.repository.lockAppointment(tx, appointmentId) : undefined;
      // Only its representative may accept; to anyone else it does not exist.
      if (!appointment || appointment.representativeId !== electorId) throw noAppointment();
      const state = stateOf(appointment);
      if (state === 'active') throw new AppError('CONFLICT', 'You accepted this appointment already.');
      if (state !== 'waiting-for-acceptance')
        throw new AppError('APPOINTMENT_ENDED', 'This appointment has ended, so it can no longer be accepted.');
      const row = await this.repository.accept(tx, appointmentId, nextIndex);
      const entry = organisationEntries.appointmentAccepted({
        appointmentId,
        representative: this.keys.appointmentParty(appointmentId, 'representative', electorId),
        at: nowIso(),
      });
      return { entries: [entry], result: row };
    });
    return this.#summary(result, electorId);
  }

  /** Either side ends it, whether or not it was accepted. */
  async end(principal: Principal, appointmentId: string): Promise<AppointmentSummary> {
    const electorId = this.#residentId(principal);
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const appointment = UUID.test(appointmentId) ? await this.repository.lockAppointment(tx, appointmentId) : undefined;
      if (!appointment || (appointment.appointerId !== electorId && appointment.representativeId !== electorId)) throw noAppointment();
      const state = stateOf(appointment);
      if (state === 'ended' || state === 'expired') throw new AppError('CONFLICT', 'This appointment has ended already.');
      const endedBy = appointment.appointerId === electorId ? 'appointer' : 'representative';
      const row = await this.repository.end(tx, appointmentId, endedBy, nextIndex);
      return { entries: [organisationEntries.appointmentEnded({ appointmentId, endedBy, at: nowIso() })], result: row };
    });
    this.ended.notify({ id: appointmentId, appointerId: result.appointerId });
    return this.#summary(result, electorId);
  }

  async list(principal: Principal): Promise<AppointmentSummary[]> {
    const electorId = this.#residentId(principal);
    return (await this.repository.appointmentsOf(electorId)).map((row) => this.#summary(row, electorId));
  }

  /** `viewer` null: the staff member who recorded it. */
  #summary(row: Row, viewer: string | null): AppointmentSummary {
    const role = viewer === null ? 'recorder' : row.appointerId === viewer ? 'appointer' : 'representative';
    return {
      id: row.id,
      role,
      otherParty: role === 'appointer' || role === 'recorder' ? row.representative.givenName : row.appointer.givenName,
      purposes: row.purposes as AppointmentPurpose[],
      endsOn: dateOf(row.endsOn),
      basis: row.basis as AppointmentSummary['basis'],
      state: stateOf(row),
      madeAt: row.madeAt.toISOString(),
      ledger: {
        made: row.madeIndex.toString(),
        accepted: row.acceptedIndex?.toString() ?? null,
        ended: row.endedIndex?.toString() ?? null,
      },
      uses:
        role === 'appointer'
          ? row.uses.map((u) => ({ at: u.actedAt.toISOString(), purpose: u.purpose as AppointmentPurpose, action: u.action }))
          : [],
    };
  }

  #endDate(endsOn: string): Date {
    const latest = new Date();
    latest.setUTCFullYear(latest.getUTCFullYear() + LONGEST_APPOINTMENT_YEARS);
    if (endsOn < today() || endsOn > dateOf(latest)) {
      throw new AppError('VALIDATION_FAILED', `The end date must be between today and ${LONGEST_APPOINTMENT_YEARS} years from now.`, {
        issues: [{ path: 'endsOn', message: `must be from today to ${dateOf(latest)}` }],
      });
    }
    return new Date(`${endsOn}T00:00:00Z`);
  }

  #residentId(principal: Principal): string {
    if (principal.kind !== 'resident') throw new AppError('FORBIDDEN', 'Only residents can appoint or be appointed.');
    return principal.electorId;
  }
}
