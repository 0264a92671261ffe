import {
  bufferToBase64URLString,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  AuthenticationOptionsResponse,
  ContractApprovalOptions,
  ContractDetail,
  ContractList,
  ContractPerformance,
  PaymentRunList,
  PaymentRunSummary,
  Repair,
  RepairList,
  RegistrationOptionsResponse,
  SigningPasskeySummary,
  type RepairCompletion,
  type RepairRejection,
  type RepairSchedule,
  type RepairTriage,
  contractApprovalChallenge,
  contractTermsHash,
  type ContractVersion,
} from '@townhall/protocol';
import { apiGet, apiGetFile, apiSend, describePasskeyProblem } from '@townhall/web-ui';
import type { z } from 'zod';
import { saveFile } from '../lib/save-file.ts';

/**
 * The work of an organisation's staff on repairs contracts (docs/protocol/contracts.md §11.3): an
 * association's repairs queue, a contractor's work orders, an association's payment runs.
 */
export type WorkSide = 'association' | 'contractor';

const organisationPath = (organisationId: string): `/${string}` => `/organisations/${encodeURIComponent(organisationId)}`;
const listPath = (organisationId: string, side: WorkSide): `/${string}` =>
  `${organisationPath(organisationId)}/${side === 'association' ? 'repairs' : 'work-orders'}`;
const workQueryKey = (organisationId: string, side: WorkSide) => ['organisation-work', organisationId, side] as const;
const runsQueryKey = (organisationId: string) => ['organisation-payment-runs', organisationId] as const;

/** The association's repairs (every state), or the contractor's work orders (from triage on). */
export function useWorkList(organisationId: string, side: WorkSide) {
  return useQuery({
    queryKey: workQueryKey(organisationId, side),
    queryFn: ({ signal }) => apiGet(listPath(organisationId, side), RepairList, { signal }),
    staleTime: 0,
    retry: false,
  });
}

/** The contracts the organisation is a party to, with their terms (the catalogue a triage chooses from). */
export function useContracts(organisationId: string) {
  return useQuery({
    queryKey: ['organisation-contracts', organisationId],
    queryFn: ({ signal }) => apiGet(`${organisationPath(organisationId)}/contracts`, ContractList, { signal }),
    retry: false,
  });
}

/** How the contract is performing (recomputed by the server's evaluator from the whole history). */
export function useContractPerformance(organisationId: string, contractId: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: ['organisation-contract-performance', organisationId, contractId],
    queryFn: ({ signal }) => apiGet(`${organisationPath(organisationId)}/contracts/${encodeURIComponent(contractId)}/performance`, ContractPerformance, { signal }),
    enabled,
    staleTime: 0,
    retry: false,
  });
}

/** The server asked for a signature over something other than the terms shown: nothing was signed. */
export class ApprovalChallengeMismatch extends Error {
  override readonly name = 'ApprovalChallengeMismatch';
  constructor() {
    super('The service asked your passkey to sign something other than the terms on this page, so nothing was signed. Reload the page and check the terms again.');
  }
}

/** What to tell an approver whose approval failed: the passkey's problem, the API's, or a refused challenge. */
export const describeApprovalProblem = (error: unknown): string =>
  error instanceof ApprovalChallengeMismatch ? error.message : describePasskeyProblem(error, 'sign');

/**
 * The organisation's approval of a revision, signed with the administrator's passkey; the last
 * party's makes it agreed (a ledger entry). The challenge is recomputed here from the terms the page
 * showed (docs/protocol/contracts.md §11.1), so the passkey never signs anything else.
 */
export async function approveContract(organisationId: string, version: ContractVersion): Promise<ContractDetail> {
  const path: `/${string}` = `${organisationPath(organisationId)}/contracts/${encodeURIComponent(version.terms.contractId)}`;
  const optionsOf = () => apiGet(`${path}/approval-options?revision=${version.revision}`, ContractApprovalOptions);
  let options = await optionsOf();
  if (options.allowCredentials.length === 0) {
    await makeSigningPasskey(organisationId);
    options = await optionsOf();
  }
  const expected = contractApprovalChallenge({
    contractId: version.terms.contractId,
    revision: version.revision,
    termsHash: contractTermsHash(version.terms),
    effectiveAt: version.effectiveAt,
    organisation: organisationId,
    party: options.party,
    member: options.member,
  });
  if (options.organisation !== organisationId || bufferToBase64URLString(expected.slice().buffer) !== options.challenge) {
    throw new ApprovalChallengeMismatch();
  }
  const assertion = await startAuthentication({
    optionsJSON: { challenge: options.challenge, rpId: options.rpId, allowCredentials: options.allowCredentials, userVerification: options.userVerification, timeout: options.timeout },
  });
  return apiSend('POST', `${path}/approve`, { revision: version.revision, assertion }, ContractDetail);
}

/**
 * The first approval for an organisation makes the member's signing passkey for it (§11.1): they
 * confirm it is them with their own passkey, then the browser makes a new one, which the registry
 * binds to their membership. It signs approvals only, and says nothing of their other passkeys.
 */
async function makeSigningPasskey(organisationId: string): Promise<void> {
  const { options: confirm } = await apiSend('POST', '/sign-in/start', {}, AuthenticationOptionsResponse);
  const assertion = await startAuthentication({ optionsJSON: confirm as unknown as PublicKeyCredentialRequestOptionsJSON });
  const { options } = await apiSend('POST', `${organisationPath(organisationId)}/signing-passkeys/start`, { assertion }, RegistrationOptionsResponse);
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  await apiSend('POST', `${organisationPath(organisationId)}/signing-passkeys/finish`, { response }, SigningPasskeySummary);
}

export function useApproveContract(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: ContractVersion) => approveContract(organisationId, version),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['organisation-contracts', organisationId] }),
  });
}

/** One step on a repair: the body each step takes, by step. */
export type WorkStep =
  | { step: 'triage'; body: z.input<typeof RepairTriage> }
  | { step: 'hazard-investigated'; body: Record<string, never> }
  | { step: 'hazard-summary-issued'; body: Record<string, never> }
  | { step: 'confirm'; body: Record<string, never> }
  | { step: 'reject'; body: z.input<typeof RepairRejection> }
  | { step: 'accept'; body: Record<string, never> }
  | { step: 'schedule'; body: z.input<typeof RepairSchedule> }
  | { step: 'complete'; body: z.input<typeof RepairCompletion> };

/** Takes one step on an order (each is a ledger entry); the list is fetched again afterwards. */
export function useWorkStep(organisationId: string, side: WorkSide) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ orderId, step }: { orderId: string; step: WorkStep }) =>
      apiSend('POST', `${listPath(organisationId, side)}/${encodeURIComponent(orderId)}/${step.step}`, step.body, Repair),
    onSuccess: (repair) => {
      queryClient.setQueryData(workQueryKey(organisationId, side), (list: RepairList | undefined) =>
        list ? { repairs: list.repairs.map((r) => (r.orderId === repair.orderId ? repair : r)) } : list,
      );
      return queryClient.invalidateQueries({ queryKey: workQueryKey(organisationId, side) });
    },
  });
}

/** The association's payment runs, newest first. */
export function usePaymentRuns(organisationId: string) {
  return useQuery({
    queryKey: runsQueryKey(organisationId),
    queryFn: ({ signal }) => apiGet(`${organisationPath(organisationId)}/payment-runs`, PaymentRunList, { signal }),
    staleTime: 0,
    retry: false,
  });
}

/** Gathers the confirmed payments under a contract that no run has paid into a new run. */
export function useMakePaymentRun(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (contractId: string) => apiSend('POST', `${organisationPath(organisationId)}/payment-runs`, { contractId }, PaymentRunSummary),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: runsQueryKey(organisationId) }),
        queryClient.invalidateQueries({ queryKey: workQueryKey(organisationId, 'association') }),
      ]),
  });
}

/**
 * Fetches a run's ISO 20022 pain.001 bank file and hands it to the browser to save. Fetched rather than
 * linked, so that a refusal (BANK_ACCOUNT_MISSING: an organisation has no bank account recorded) is an
 * ApiError the page can put in words, never an error body saved as the file.
 */
export function useDownloadBankFile(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (runId: string) => {
      const file = await apiGetFile(`${organisationPath(organisationId)}/payment-runs/${encodeURIComponent(runId)}/pain001`);
      saveFile(file.blob, file.filename ?? `payment-run-${runId}.pain001.xml`);
    },
    // The first download makes the run's file: the list then says when.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: runsQueryKey(organisationId) }),
  });
}

/** Where the browser downloads a run's list as CSV (a GET with the session cookie). */
export const paymentRunFileHref = (apiBasePath: string, organisationId: string, runId: string) =>
  `${apiBasePath}${organisationPath(organisationId)}/payment-runs/${encodeURIComponent(runId)}/file`;
