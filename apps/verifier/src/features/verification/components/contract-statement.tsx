import { formatPence } from '@townhall/contracts';
import type { ContractStatement, PaymentFigures, PaymentRunStatement, PaymentStatement } from '@townhall/verifier';
import { orderReference } from '@townhall/web-ui';
import type { ReactNode } from 'react';

/** A PaymentComputed's figures in the order contracts.md §4 step 6 computes them, in words. */
const PAYMENT_FIGURES: { figure: keyof PaymentFigures; label: string }[] = [
  { figure: 'basePence', label: 'Base price' },
  { figure: 'bulkDiscountPence', label: 'Bulk discount' },
  { figure: 'lateReductionPence', label: 'Late reduction' },
  { figure: 'contractorPaymentPence', label: 'To the contractor' },
  { figure: 'hostFeePence', label: 'Host’s fee' },
  { figure: 'associationPaysPence', label: 'Association pays' },
];

const RUN_TOTALS: Record<PaymentRunStatement['totals'][number]['figure'], string> = {
  contractorTotalPence: 'To the contractor',
  hostFeeTotalPence: 'Host’s fees',
  totalPence: 'Association pays',
};

function nameOf(statement: ContractStatement, organisationId: string): string {
  return statement.organisations.find((o) => o.organisationId === organisationId)?.legalName ?? organisationId;
}

interface Figure {
  figure: string;
  label: string;
  recorded: string;
  recomputed: string | null;
}

/**
 * One entry's figures as a group of two rows: as recorded, and as recomputed, each recomputed figure
 * marked equal or different, in words and colour. On a phone the rows stack (th-stacked-table), every
 * figure under its name.
 */
function FigureRows({ heading, recomputedName, figures, ...data }: { heading: ReactNode; recomputedName: string; figures: Figure[] } & Record<`data-${string}`, string>) {
  return (
    <tbody className="govuk-table__body" role="rowgroup" {...data}>
      <tr className="govuk-table__row th-figure-rows__recorded" role="row">
        <th scope="rowgroup" rowSpan={2} className="govuk-table__header" role="rowheader">
          {heading}
        </th>
        <th scope="row" className="govuk-table__header th-figure-rows__side" role="rowheader">
          Recorded
        </th>
        {figures.map(({ figure, label, recorded }) => (
          <td className="govuk-table__cell govuk-table__cell--numeric" role="cell" key={figure} data-figure={figure} data-side="recorded">
            <span className="th-stacked-table__label" aria-hidden="true">
              {label}
            </span>
            {recorded}
          </td>
        ))}
      </tr>
      <tr className="govuk-table__row" role="row">
        <th scope="row" className="govuk-table__header th-figure-rows__side" role="rowheader">
          {recomputedName}
        </th>
        {figures.map(({ figure, label, recorded, recomputed }) => {
          const isEqual = recorded === recomputed;
          return (
            <td className="govuk-table__cell govuk-table__cell--numeric" role="cell" key={figure} data-figure={figure} data-side="recomputed">
              <span className="th-stacked-table__label" aria-hidden="true">
                {label}
              </span>
              {recomputed ?? 'none'}{' '}
              <strong className={`govuk-tag ${isEqual ? 'govuk-tag--green' : 'govuk-tag--red'}`} data-figure-verdict={isEqual ? 'equal' : 'different'}>
                {isEqual ? 'Equal' : 'Different'}
              </strong>
            </td>
          );
        })}
      </tr>
    </tbody>
  );
}

function FigureHead({ first, labels }: { first: string; labels: string[] }) {
  return (
    <thead className="govuk-table__head" role="rowgroup">
      <tr className="govuk-table__row" role="row">
        <th scope="col" className="govuk-table__header" role="columnheader">
          {first}
        </th>
        <th scope="col" className="govuk-table__header" role="columnheader">
          <span className="govuk-visually-hidden">Recorded or recomputed</span>
        </th>
        {labels.map((label) => (
          <th scope="col" className="govuk-table__header govuk-table__header--numeric" role="columnheader" key={label}>
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

function PaymentRows({ statement, payment }: { statement: ContractStatement; payment: PaymentStatement }) {
  const figures = PAYMENT_FIGURES.map(({ figure, label }) => ({
    figure,
    label,
    recorded: formatPence(payment.recorded[figure]),
    recomputed: payment.recomputed ? formatPence(payment.recomputed[figure]) : null,
  }));
  const heading = (
    <>
      Order {orderReference(payment.orderId)}
      <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0 govuk-!-font-size-16">
        {nameOf(statement, payment.association)}, entry {payment.index}
      </span>
    </>
  );
  return <FigureRows heading={heading} recomputedName="Recomputed" figures={figures} data-payment={payment.orderId} />;
}

/**
 * Every PaymentComputed of the record beside the verifier's own computation (contracts.md §4), each
 * figure marked equal or different. On a phone each payment is stacked, every figure under its name
 * (th-stacked-table); the explicit roles keep it a table for screen readers when its display changes.
 */
export function PaymentsTable({ statement }: { statement: ContractStatement }) {
  if (statement.payments.length === 0) {
    return (
      <p className="govuk-body" data-testid="no-payments">
        No repair has been confirmed yet, so there is no payment to recompute.
      </p>
    );
  }
  const differing = statement.payments.filter((p) => PAYMENT_FIGURES.some(({ figure }) => p.recorded[figure] !== p.recomputed?.[figure])).length;
  return (
    <>
      <p className="govuk-body" data-testid="payments-summary">
        {differing === 0
          ? `All ${statement.payments.length} payments recorded are what this browser recomputed from the contract’s terms and the repairs’ history, to the penny.`
          : `${differing} of ${statement.payments.length} payments recorded ${differing === 1 ? 'differs' : 'differ'} from what this browser recomputed from the contract’s terms and the repairs’ history.`}
      </p>
      <table className="govuk-table th-stacked-table th-payments-table" role="table" data-testid="payments-table">
        <caption className="govuk-table__caption govuk-visually-hidden">Every payment, as recorded and as recomputed</caption>
        <FigureHead first="Repair" labels={PAYMENT_FIGURES.map((f) => f.label)} />
        {statement.payments.map((payment) => (
          <PaymentRows statement={statement} payment={payment} key={payment.index} />
        ))}
      </table>
    </>
  );
}

/** Each payment run's totals beside the sums of the payments it lists (contracts.md §11.5). */
export function PaymentRunsTable({ statement }: { statement: ContractStatement }) {
  if (statement.paymentRuns.length === 0) {
    return (
      <p className="govuk-body" data-testid="no-payment-runs">
        No association has made a payment run yet.
      </p>
    );
  }
  const figures = Object.keys(RUN_TOTALS) as (keyof typeof RUN_TOTALS)[];
  return (
    <table className="govuk-table th-stacked-table th-payments-table" role="table" data-testid="payment-runs-table">
      <caption className="govuk-table__caption govuk-visually-hidden">Every payment run: its totals as recorded and as the sums of its payments</caption>
      <FigureHead first="Payment run" labels={figures.map((figure) => RUN_TOTALS[figure])} />
      {statement.paymentRuns.map((run) => {
        const heading = (
          <>
            {nameOf(statement, run.association)}
            <span className="govuk-hint govuk-!-display-block govuk-!-margin-bottom-0 govuk-!-font-size-16">
              {run.payments} payment{run.payments === 1 ? '' : 's'}, entry {run.index}
            </span>
          </>
        );
        const totals = figures.map((figure) => {
          const total = run.totals.find((t) => t.figure === figure)!;
          return { figure, label: RUN_TOTALS[figure], recorded: formatPence(BigInt(total.recorded)), recomputed: formatPence(BigInt(total.recomputed)) };
        });
        return <FigureRows heading={heading} recomputedName="Sum of its payments" figures={totals} data-payment-run={run.runId} key={run.index} />;
      })}
    </table>
  );
}
