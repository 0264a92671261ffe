import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import escapeHtml from 'escape-html';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { servedApps } from '../web/serve-apps.ts';

/**
 * The few pages the provider itself renders (an error it cannot send back to the service, the
 * "sign out?" question, "you are signed out"), in the residents' app's look: its stylesheet, found
 * in its built index.html. No inline script or style, so the strict Content-Security-Policy holds.
 */
let stylesheet: string | null | undefined;

function residentsStylesheet(): string | null {
  if (stylesheet !== undefined) return stylesheet;
  const voter = servedApps.find((app) => app.name === 'voter');
  const index = voter ? resolve(voter.dist, 'index.html') : '';
  const match = index && existsSync(index) ? /<link rel="stylesheet"[^>]*href="([^"]+)"/.exec(readFileSync(index, 'utf8')) : null;
  stylesheet = match ? match[1]! : null;
  return stylesheet;
}

function page(title: string, body: string): string {
  const css = residentsStylesheet();
  return `<!doctype html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Townhall ID</title>
${css ? `<link rel="stylesheet" href="${escapeHtml(css)}">` : ''}
</head>
<body class="govuk-template__body">
<header class="govuk-generic-header"><div class="govuk-generic-header__container govuk-width-container">
<div class="govuk-generic-header__logo"><a href="/" class="govuk-generic-header__homepage-link">Townhall ID</a></div>
</div></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content">
${body}
</main></div>
</body>
</html>`;
}

/** OAuth errors that cannot go back to the service (an unknown service, a redirect URI it did not register). */
export async function errorPage(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Sorry, there is a problem',
    `<h1 class="govuk-heading-l">Sorry, there is a problem</h1>
<p class="govuk-body">The service that sent you here asked Townhall ID for something it cannot do, so you have not been signed in.</p>
<p class="govuk-body">Go back to the service and try again. If it happens again, tell the service.</p>
<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">What the service needs to know</span></summary>
<div class="govuk-details__text"><p class="govuk-body"><code>${escapeHtml(out.error)}</code>: ${escapeHtml(out.error_description ?? '')}</p></div></details>`,
  );
}

/** RP-initiated logout asks first (OpenID Connect RP-Initiated Logout §2): `form` is the provider's own, with its token. */
export async function logoutPage(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  const service = ctx.oidc.client?.clientName;
  ctx.type = 'html';
  ctx.body = page(
    'Sign out',
    `<h1 class="govuk-heading-l">Sign out of Townhall ID?</h1>
<p class="govuk-body">${service ? `${escapeHtml(service)} asked to sign you out.` : 'A council service asked to sign you out.'} Signing out ends your Townhall ID session in this browser, for every council service.</p>
${form}
<div class="govuk-button-group">
<button class="govuk-button" type="submit" form="op.logoutForm" value="yes" name="logout">Sign out</button>
<button class="govuk-button govuk-button--secondary" type="submit" form="op.logoutForm">Stay signed in</button>
</div>`,
  );
}

export async function signedOutPage(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = page(
    'Signed out',
    `<h1 class="govuk-heading-l">You have signed out</h1>
<p class="govuk-body">You are no longer signed in to council services through Townhall ID in this browser.</p>`,
  );
}
