// @townhall/web-ui: React components and the browser API client shared by the three apps
// (apps/voter, apps/official, apps/verifier), and nothing else imports it.
//
// docs/architecture.md keeps `packages/*` pure TypeScript without the DOM; this package is the one
// browser-only exception: it renders React (GOV.UK Frontend markup), calls `fetch` with the
// session cookie and touches `document`. The Sass partials under ./styles are `@use`d by each
// app's styles.scss. `@townhall/web-ui/configure-zod` must be each app's first import in main.tsx
// (strict CSP: no `unsafe-eval`).

export {
  ApiError,
  apiGet,
  apiGetFile,
  apiPostWithoutSession,
  apiSend,
  apiSendExpectingNothing,
  apiSendForFile,
  configureApiClient,
  rememberCsrfToken,
  type ApiErrorCode,
  type ApiGetOptions,
  type ApiSendOptions,
  type FetchLike,
  type SendMethod,
} from './lib/api-client.ts';
export { parseAppConfig, type AppConfig } from './lib/app-config.ts';
export { formatDateTime } from './lib/format-date.ts';
export { orderReference } from './lib/order-reference.ts';
export { getHealth, healthQueryKey, HealthResponse, useHealth } from './lib/get-health.ts';
export { CouncilSummary, councilQueryKey, getCouncil, useCouncil } from './lib/get-council.ts';
export { describePasskeyProblem, type Ceremony } from './lib/passkey-problem.ts';
export { createQueryClient, type QueryClientOptions } from './lib/query-client.ts';

export { BarChart, type Bar } from './components/bar-chart.tsx';
export { ConfirmAction, ConfirmPanel } from './components/confirm-action.tsx';
export * from './components/error-summary.tsx';
export * from './components/form-fields.tsx';
export { LoadingMessage } from './components/loading-message.tsx';
export { NotFoundPage } from './components/not-found-page.tsx';
export { MAIN_CONTENT_ID, PageLayout } from './components/page-layout.tsx';
export { PhaseBanner } from './components/phase-banner.tsx';
export { ProblemBanner } from './components/problem-banner.tsx';
export { SignOutPage, type SignOutMutation } from './components/sign-out-page.tsx';
export { SiteFooter } from './components/site-footer.tsx';
export { SiteHeader } from './components/site-header.tsx';
export { SkipLink } from './components/skip-link.tsx';
export { TrusteeMinimumWarning } from './components/trustee-minimum-warning.tsx';
export { SuccessBanner } from './components/success-banner.tsx';
export { SystemStatus, SystemStatusSection } from './components/system-status.tsx';
export {
  APPOINTMENT_PURPOSE_LIST,
  APPOINTMENT_SCOPE_FIELD_IDS,
  AppointmentScopeFields,
  appointmentScopeSummaryTarget,
  type AppointmentScope,
} from './components/appointment-scope-fields.tsx';
export { choiceId, Choices, type Choice } from './components/choices.tsx';
export { OneTimeSecret } from './components/one-time-secret.tsx';
export { ReceiptLink, receiptHref, registryReceiptHref } from './components/receipt-link.tsx';
export { dateFromParts, todayIso, type DateCheck } from './lib/date-parts.ts';
export {
  ORGANISATION_KIND_WORDS,
  ORGANISATION_STATUS_TAGS,
  organisationKindWords,
  rolesInWords,
  roleWords,
} from './lib/organisation-words.ts';
