/** The demo service's pages: GOV.UK Frontend's stylesheet, no script, every value escaped. */
const CLAIM_WORDS: Record<string, string> = {
  name: 'Name',
  given_name: 'Given name',
  family_name: 'Family name',
  address: 'Postcode',
  birthdate: 'Date of birth',
  age_over_18: '18 or over',
  'townhall:roll': 'On the electoral roll',
  'townhall:roles': 'Council staff roles',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function describe(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(describe).join(', ');
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('postal_code' in record) return String(record.postal_code);
    if ('registered' in record) return `Yes, ${String(record.districtName ?? record.district)}`;
    return JSON.stringify(value);
  }
  return String(value);
}

export function receivedTable(claims: Record<string, unknown>, token: { sub: string; acr: string | undefined }): string {
  const rows = [
    ...Object.entries(claims).map(([key, value]) => [CLAIM_WORDS[key] ?? key, describe(value)] as const),
    ['Your identifier for this service (sub)', token.sub] as const,
    ['How your identity was checked (acr)', token.acr ?? 'not given'] as const,
  ];
  return `<table class="govuk-table" data-testid="received">
<caption class="govuk-table__caption govuk-table__caption--m">What this service received</caption>
<thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Detail</th><th scope="col" class="govuk-table__header">Value</th></tr></thead>
<tbody class="govuk-table__body">
${rows.map(([k, v]) => `<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">${escapeHtml(k)}</th><td class="govuk-table__cell demo-value">${escapeHtml(v)}</td></tr>`).join('\n')}
</tbody></table>`;
}

export function page(service: string, body: string): string {
  return `<!doctype html>
<html lang="en" class="govuk-template govuk-template--rebranded">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(service)} – Demo council</title>
<link rel="stylesheet" href="/assets/govuk/govuk-frontend.min.css">
<link rel="stylesheet" href="/assets/demo.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<section class="govuk-service-navigation" aria-label="Service information"><div class="govuk-width-container">
<div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name">
<a href="/" class="govuk-service-navigation__link">${escapeHtml(service)}</a></span></div></div></section>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
<div class="govuk-phase-banner"><p class="govuk-phase-banner__content"><strong class="govuk-tag govuk-phase-banner__content__tag">Demo</strong>
<span class="govuk-phase-banner__text">A sample council service that signs people in with Townhall ID.</span></p></div>
${body}
</main></div>
<footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-footer__meta-custom">Demo council – a sample service for trying Townhall ID</p></div></footer>
</body>
</html>`;
}
