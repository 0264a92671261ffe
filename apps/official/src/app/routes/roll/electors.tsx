import { formatDateTime, LoadingMessage, ProblemBanner, useCouncil } from '@townhall/web-ui';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useElectors } from '../../../features/roll/api/roll.ts';
import { RequireStaff } from '../../../features/session/components/require-staff.tsx';
import { appConfig } from '../../../config/app-config.ts';

export function ElectorsRoute() {
  return (
    <RequireStaff roles={['officer', 'admin']}>
      <Electors />
    </RequireStaff>
  );
}

function Electors() {
  const [searchParams, setSearchParams] = useSearchParams();
  const district = searchParams.get('district') ?? '';
  const q = searchParams.get('q') ?? '';
  const page = Math.max(1, Number(searchParams.get('page')) || 1);
  const [draft, setDraft] = useState({ district, q });
  const council = useCouncil();
  const electors = useElectors({ district: district || undefined, q: q || undefined, page });

  function search(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.district) next.set('district', draft.district);
    if (draft.q.trim()) next.set('q', draft.q.trim());
    setSearchParams(next);
  }

  function pageLink(target: number): string {
    const next = new URLSearchParams(searchParams);
    next.set('page', String(target));
    return `?${next.toString()}`;
  }

  const pageCount = electors.data ? Math.max(1, Math.ceil(electors.data.total / electors.data.pageSize)) : 1;
  return (
    <>
      <title>{`Electors – ${appConfig.serviceName}`}</title>
      <h1 className="govuk-heading-l">Electors</h1>
      <form noValidate onSubmit={search} className="govuk-!-margin-bottom-6">
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="district">
            Ward
          </label>
          <select className="govuk-select" id="district" name="district" value={draft.district} onChange={(event) => setDraft({ ...draft, district: event.target.value })}>
            <option value="">All wards</option>
            {council.data?.districts.map((ward) => (
              <option key={ward.code} value={ward.code}>
                {ward.name} ({ward.code})
              </option>
            ))}
          </select>
        </div>
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="q">
            Elector number or family name
          </label>
          <div className="govuk-hint" id="q-hint">
            The start is enough, for example CAS-00 or Pat
          </div>
          <input className="govuk-input govuk-input--width-20" id="q" name="q" type="search" aria-describedby="q-hint" value={draft.q} onChange={(event) => setDraft({ ...draft, q: event.target.value })} />
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
          Search
        </button>
      </form>
      {electors.isPending ? <LoadingMessage>Loading electors…</LoadingMessage> : null}
      {electors.isError ? <ProblemBanner what="the electors" error={electors.error} /> : null}
      {electors.data ? (
        <>
          <p className="govuk-body" role="status">
            {electors.data.total === 0 ? 'No electors match.' : `${electors.data.total} elector${electors.data.total === 1 ? '' : 's'}, page ${electors.data.page} of ${pageCount}.`}
          </p>
          {electors.data.electors.length > 0 ? (
            <div className="th-table-scroll" role="region" tabIndex={0} aria-label="Electors (scrolls sideways)">
              <table className="govuk-table">
                <caption className="govuk-table__caption govuk-visually-hidden">Electors</caption>
                <thead className="govuk-table__head">
                  <tr className="govuk-table__row">
                    <th scope="col" className="govuk-table__header">Elector number</th>
                    <th scope="col" className="govuk-table__header">Name</th>
                    <th scope="col" className="govuk-table__header">Postcode</th>
                    <th scope="col" className="govuk-table__header">Ward</th>
                    <th scope="col" className="govuk-table__header">Account</th>
                    <th scope="col" className="govuk-table__header">Poll card</th>
                  </tr>
                </thead>
                <tbody className="govuk-table__body">
                  {electors.data.electors.map((elector) => (
                    <tr className="govuk-table__row" key={elector.electorNumber}>
                      <th scope="row" className="govuk-table__header">{elector.electorNumber}</th>
                      <td className="govuk-table__cell">
                        {elector.givenName} {elector.familyName}
                      </td>
                      <td className="govuk-table__cell">{elector.postcode}</td>
                      <td className="govuk-table__cell">{elector.districtCode}</td>
                      <td className="govuk-table__cell">
                        {elector.enrolled ? `Set up, ${elector.activePasskeys} active passkey${elector.activePasskeys === 1 ? '' : 's'}` : 'Not set up'}
                      </td>
                      <td className="govuk-table__cell">
                        {elector.cardIssuedAt ? `Issued ${formatDateTime(elector.cardIssuedAt)}` : 'Not issued'}
                        <br />
                        <Link to={`/roll/electors/${encodeURIComponent(elector.electorNumber)}/reissue`} className="govuk-link">
                          {elector.cardIssuedAt ? 'Re-issue card' : 'Issue a card'}
                          <span className="govuk-visually-hidden"> for {elector.electorNumber}</span>
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {pageCount > 1 ? (
            <nav className="govuk-pagination" aria-label="Pages of electors">
              {page > 1 ? (
                <div className="govuk-pagination__prev">
                  <Link className="govuk-link govuk-pagination__link" to={pageLink(page - 1)} rel="prev">
                    <span className="govuk-pagination__link-title">Previous page</span>
                  </Link>
                </div>
              ) : null}
              {page < pageCount ? (
                <div className="govuk-pagination__next">
                  <Link className="govuk-link govuk-pagination__link" to={pageLink(page + 1)} rel="next">
                    <span className="govuk-pagination__link-title">Next page</span>
                  </Link>
                </div>
              ) : null}
            </nav>
          ) : null}
        </>
      ) : null}
    </>
  );
}
