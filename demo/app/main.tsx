import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Checkout, type DemoConfig } from './Checkout';
import './styles.css';

// The server puts a fresh nonce on this page's own script tag; the Hosted Fields loader needs the same nonce to pass
// a strict `script-src 'nonce-…'` policy. Browsers hide the attribute from getAttribute, not from the property.
const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce || undefined;

const config = (await (await fetch('/api/demo-config')).json()) as DemoConfig;

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Checkout config={config} nonce={nonce} />
  </StrictMode>,
);
