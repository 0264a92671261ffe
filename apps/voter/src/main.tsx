// First, before any zod schema exists (strict CSP: no 'unsafe-eval').
import '@townhall/web-ui/configure-zod';
import { configureApiClient } from '@townhall/web-ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';
import './app/styles.scss';
import { appConfig } from './config/app-config.ts';

configureApiClient({ basePath: appConfig.apiBasePath });

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
