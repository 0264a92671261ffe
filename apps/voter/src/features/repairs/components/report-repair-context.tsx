import { createContext, useContext, useState, type ReactNode } from 'react';
import { emptyReport, type ReportAnswers } from '../lib/report-form.ts';

interface ReportRepairState {
  answers: ReportAnswers;
  setAnswers: (answers: ReportAnswers) => void;
}

const ReportRepairContext = createContext<ReportRepairState | null>(null);

/** The report's answers, shared by its pages (in memory: a reload starts again). */
export function ReportRepairProvider({ children }: { children: ReactNode }) {
  const [answers, setAnswers] = useState<ReportAnswers>(emptyReport);
  return <ReportRepairContext.Provider value={{ answers, setAnswers }}>{children}</ReportRepairContext.Provider>;
}

export function useReportAnswers(): ReportRepairState {
  const state = useContext(ReportRepairContext);
  if (!state) throw new Error('useReportAnswers needs a ReportRepairProvider');
  return state;
}
