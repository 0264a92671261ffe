/** Links between the three Townhall apps, which the API serves from one origin. */
const TOWNHALL_APPS = [
  { href: '/', label: 'Vote' },
  { href: '/official/', label: 'Election officials' },
  { href: '/verify/', label: 'Verify an election' },
] as const;

export function SiteFooter() {
  return (
    <footer className="govuk-footer">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <h2 className="govuk-visually-hidden">Townhall services</h2>
            <ul className="govuk-footer__inline-list">
              {TOWNHALL_APPS.map((app) => (
                <li className="govuk-footer__inline-list-item" key={app.href}>
                  <a className="govuk-footer__link" href={app.href}>
                    {app.label}
                  </a>
                </li>
              ))}
            </ul>
            <p className="govuk-body-s govuk-!-margin-bottom-0">
              Townhall: resident identity and verifiable voting for councils.
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}
