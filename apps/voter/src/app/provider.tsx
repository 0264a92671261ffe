import { QueryClientProvider } from '@tanstack/react-query';
import { createQueryClient } from '@townhall/web-ui';
import { useState, type ReactNode } from 'react';

export function AppProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
