export { audit, AuditFailure, evidenceJson, type AuditOptions, type AuditSummary } from './audit.ts';
