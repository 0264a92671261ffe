import type { HealthResponse } from '@townhall/protocol';
import { useHealth } from '../lib/get-health.ts';
import { LoadingMessage } from './loading-message.tsx';
import { ProblemBanner } from './problem-banner.tsx';

interface SystemStatusProps {
  health: HealthResponse;
}

const dialectName: Record<HealthResponse['database']['dialect'], string> = {
  pglite: 'Embedded PGlite',
  postgres: 'PostgreSQL',
};

/** The health report as a GOV.UK summary list; the status tag is text, not colour alone. */
export function SystemStatus({ health }: SystemStatusProps) {
  const isOk = health.status === 'ok';
  const rows = [
    {
      key: 'Status',
      value: (
        <strong className={`govuk-tag ${isOk ? 'govuk-tag--green' : 'govuk-tag--yellow'}`}>
          {isOk ? 'Working' : 'Degraded'}
        </strong>
      ),
    },
    {
      key: 'Database',
      value: `${dialectName[health.database.dialect]}, ${health.database.reachable ? 'reachable' : 'not reachable'}`,
    },
    {
      key: 'Database migrations',
      value: `${health.migrations.applied} applied, ${health.migrations.pending} pending`,
    },
    { key: 'Version', value: health.version },
  ];
  return (
    <dl className="govuk-summary-list">
      {rows.map((row) => (
        <div className="govuk-summary-list__row" key={row.key}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The home page's "System status" section: the API's health report, refreshed every minute. */
export function SystemStatusSection() {
  const health = useHealth();
  return (
    <section aria-labelledby="status-heading">
      <h2 className="govuk-heading-m" id="status-heading">
        System status
      </h2>
      {health.isPending ? <LoadingMessage>Checking the system status…</LoadingMessage> : null}
      {health.isError ? <ProblemBanner what="the system status" error={health.error} /> : null}
      {health.data ? <SystemStatus health={health.data} /> : null}
    </section>
  );
}
