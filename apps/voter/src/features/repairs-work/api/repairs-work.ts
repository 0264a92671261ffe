import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  ContractDetail,
  ContractList,
  ContractPerformance,
  PaymentRunList,
  PaymentRunSummary,
  Repair,
  RepairList,
  type RepairCompletion,
  type RepairRejection,
  type RepairSchedule,
  type RepairTriage,
} from '@townhall/protocol';
import { apiGet, apiGetFile, apiSend } from '@townhall/web-ui';
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

/** The organisation's approval of a revision; the last party's makes it agreed (a ledger entry). */
export function useApproveContract(organisationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ contractId, revision }: { contractId: string; revision: number }) =>
      apiSend('POST', `${organisationPath(organisationId)}/contracts/${encodeURIComponent(contractId)}/approve`, { revision }, ContractDetail),
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
