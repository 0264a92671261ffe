import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '@townhall/web-ui';
import { useState, type ReactNode } from 'react';
import { VerificationProvider } from '../features/verification/components/verification-provider.tsx';

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <VerificationProvider>{children}</VerificationProvider>
    </QueryClientProvider>
  );
}
